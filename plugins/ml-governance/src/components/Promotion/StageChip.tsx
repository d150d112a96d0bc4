import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ArtifactStage } from '@ml-governance/plugin-ml-governance-common';
import Chip from '@material-ui/core/Chip';
import { mlGovernanceTranslationRef } from '../../translation';

/** Where a version is in intake: quarantined → evaluated → promoted | rejected. */
export function StageChip(props: { stage: ArtifactStage }) {
  const { stage } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  return (
    <Chip
      size="small"
      variant={stage === 'promoted' ? 'default' : 'outlined'}
      color={
        { promoted: 'primary', rejected: 'secondary' }[stage as string] as
          | 'primary'
          | 'secondary'
          | undefined
      }
      label={t(`promotion.stages.${stage}`)}
      data-testid="ml-governance-version-stage"
      data-stage={stage}
    />
  );
}
