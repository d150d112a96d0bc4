import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceApiRef } from '../../api';
import { mlGovernanceTranslationRef } from '../../translation';
import { DownloadLinks } from '../common/DownloadLinks';

/** CSV and JSON exports of the rejected-artifact log with the current search. */
export function RejectedArtifactDownloads(props: { q?: string }) {
  const { q } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const api = useApi(mlGovernanceApiRef);
  return (
    <DownloadLinks
      urlFor={format => api.getRejectedArtifactsDownloadUrl(format, { q })}
      deps={[api, q]}
      fileName="rejected-artifacts"
      failure={message => t('rejectedArtifacts.downloadFailed', { message })}
      testIdPrefix="ml-governance-rejected"
    />
  );
}
