import type { EntityDecision } from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { DecisionStatus } from '../common/DecisionStatus';

const ORDER: EntityDecision[] = ['BLOCK', 'TICKET', 'PASS', 'UNKNOWN'];

/** How many entities sit at each release decision. */
export function DecisionCounts(props: {
  decisions: Record<EntityDecision, number>;
}) {
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      style={{ gap: 16 }}
      data-testid="ml-governance-decision-counts"
    >
      {ORDER.map(decision => (
        <Box
          key={decision}
          display="flex"
          alignItems="center"
          style={{ gap: 4 }}
        >
          <DecisionStatus decision={decision} />
          <Typography variant="body2" component="span">
            {props.decisions[decision] ?? 0}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}
