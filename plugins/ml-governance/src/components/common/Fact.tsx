import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';

/** One labelled fact of a card's grid (half its width on every screen size). */
export function Fact(props: {
  label: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Grid item xs={6} data-testid={props.testId}>
      <Typography variant="overline" display="block" color="textSecondary">
        {props.label}
      </Typography>
      <Typography variant="body2" component="div">
        {props.children}
      </Typography>
    </Grid>
  );
}
