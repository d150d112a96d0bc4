import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  mlGovernancePromotionApprovePermission,
  mlGovernancePromotionRequestPermission,
} from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import {
  useEntityVersions,
  useSignedInIdentity,
} from '../../hooks/usePromotions';
import { mlGovernanceTranslationRef } from '../../translation';
import { versionActions } from './versionActions';
import { VersionItem } from './VersionItem';

/** The entity's artifact versions by digest: stage, sign-offs, audit trail and the promotion actions. */
export function VersionsCard(props: {
  entityRef: string;
  /** The entity's owner ref (owner sign-off and rejection by owners). */
  owner?: string;
  /** Called after a version changed here (its stage moves the decision's inputs too). */
  onChanged?: () => void;
}) {
  const { entityRef, owner } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const versions = useEntityVersions(entityRef);
  const identity = useSignedInIdentity();
  const { allowed: mayRequest } = usePermission({
    permission: mlGovernancePromotionRequestPermission,
    resourceRef: entityRef,
  });
  const { allowed: securityApprover } = usePermission({
    permission: mlGovernancePromotionApprovePermission,
  });
  const [conflict, setConflict] = useState(false);
  const changed = () => {
    versions.retry();
    props.onChanged?.();
  };

  let body;
  if (versions.loading && !versions.value) body = <Progress />;
  else if (versions.error)
    body = (
      <ResponseErrorPanel
        error={versions.error}
        title={t('promotion.versionsLoadError')}
      />
    );
  else if (!versions.value || versions.value.length === 0)
    body = (
      <Typography variant="body2" color="textSecondary">
        {t('promotion.noVersions')}
      </Typography>
    );
  else
    body = versions.value.map(version => (
      <VersionItem
        key={version.id}
        version={version}
        actions={versionActions(version, {
          userEntityRef: identity?.userEntityRef,
          ownershipEntityRefs: identity?.ownershipEntityRefs ?? [],
          owner,
          mayRequest,
          securityApprover,
        })}
        onChanged={changed}
        onConflict={() => {
          setConflict(true);
          changed();
        }}
      />
    ));
  return (
    <InfoCard title={t('promotion.versionsTitle')}>
      <div data-testid="ml-governance-versions">
        {conflict && (
          <Box mb={2}>
            <Alert severity="warning" onClose={() => setConflict(false)}>
              {t('promotion.conflict')}
            </Alert>
          </Box>
        )}
        {body}
      </div>
    </InfoCard>
  );
}
