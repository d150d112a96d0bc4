import Typography from '@material-ui/core/Typography';

/** The requester's justification, with its line breaks kept. */
export function JustificationText(props: { text: string }) {
  return (
    <>
      <Typography variant="overline" color="textSecondary">
        Justification
      </Typography>
      <Typography variant="body2" paragraph style={{ whiteSpace: 'pre-wrap' }}>
        {props.text}
      </Typography>
    </>
  );
}
