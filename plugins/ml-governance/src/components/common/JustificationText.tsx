import Typography from '@material-ui/core/Typography';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** The requester's justification, with its line breaks kept. */
export function JustificationText(props: { text: string }) {
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  return (
    <>
      <Typography variant="overline" color="textSecondary">
        {t('common.justification')}
      </Typography>
      <Typography variant="body2" paragraph style={{ whiteSpace: 'pre-wrap' }}>
        {props.text}
      </Typography>
    </>
  );
}
