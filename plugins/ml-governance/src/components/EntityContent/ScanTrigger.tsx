import type { ScanRun } from '@ml-governance/plugin-ml-governance-common';
import { Link } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { shortRef } from '../common/format';
import { mlGovernanceTranslationRef } from '../../translation';

/** Commit SHAs are 40 hex digits; the first 7 identify them in a table, as git itself shows them. */
function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** The only run links shown are http(s): a stored URL is data from CI, never a script to follow. */
function safeRunUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:'
      ? parsed.toString()
      : undefined;
  } catch {
    return undefined;
  }
}

/** Who or what started a scan: a user, the schedule, or a CI upload (commit and run link). */
export function ScanTrigger(props: { scan: ScanRun }) {
  const { scan } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  if (scan.trigger === 'manual')
    return (
      <>{t('entityTab.manualTrigger', { who: shortRef(scan.requestedBy) })}</>
    );
  if (scan.trigger !== 'ci') return <>{t('entityTab.scheduledTrigger')}</>;
  const provenance = scan.provenance;
  const runUrl = safeRunUrl(provenance?.runUrl);
  return (
    <>
      <strong>{t('scanTriggerCi.label')}</strong>
      {provenance?.commitSha && (
        <Typography variant="caption" display="block">
          {t('scanTriggerCi.commit', { sha: shortSha(provenance.commitSha) })}
        </Typography>
      )}
      <Typography variant="caption" display="block">
        {t('scanTriggerCi.uploadedBy', {
          who: shortRef(provenance?.uploadedBy),
        })}
      </Typography>
      {runUrl && (
        <Typography variant="caption" display="block">
          <Link to={runUrl}>{t('scanTriggerCi.runLink')}</Link>
        </Typography>
      )}
    </>
  );
}
