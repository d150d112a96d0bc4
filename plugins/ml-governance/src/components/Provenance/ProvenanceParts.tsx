import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  ProvenanceProblem,
  SignerIdentity,
} from '@ml-governance/plugin-ml-governance-common';
import Typography from '@material-ui/core/Typography';
import { formatDateTime } from '../common/format';
import { mlGovernanceTranslationRef } from '../../translation';

/** Digests and fingerprints are shown whole: a reviewer compares them with what they expect. */
export function Digest(props: { value?: string }) {
  if (!props.value) return <>—</>;
  return (
    <Typography
      variant="caption"
      component="code"
      style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
    >
      {props.value}
    </Typography>
  );
}

/** Who signed: a key fingerprint, or a certificate identity with its issuer and signing time. */
export function Signer(props: { signer?: SignerIdentity }) {
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const { signer } = props;
  if (!signer) return <>—</>;
  return (
    <>
      {signer.keyFingerprint && (
        <Typography variant="caption" component="div">
          {t('provenance.signerKey')} <Digest value={signer.keyFingerprint} />
        </Typography>
      )}
      {signer.subject && (
        <Typography variant="caption" component="div">
          {t('provenance.signerIdentity', {
            subject: signer.subject,
            issuer: signer.issuer ?? '—',
          })}
        </Typography>
      )}
      {signer.signingTime && (
        <Typography variant="caption" component="div">
          {t('provenance.signedAt', {
            time: formatDateTime(signer.signingTime),
          })}
        </Typography>
      )}
    </>
  );
}

/** The findings behind a failed check, by rule, so the reader can find them in the table. */
export function Problems(props: { problems: ProvenanceProblem[] }) {
  if (props.problems.length === 0) return null;
  return (
    <>
      {props.problems.map(problem => (
        <Typography
          key={problem.findingId}
          variant="caption"
          component="div"
          color="error"
          style={{ wordBreak: 'break-word' }}
        >
          {problem.ruleId}: {problem.message}
        </Typography>
      ))}
    </>
  );
}

/** The signed file names, and how many more the signature covers than are listed. */
export function SignedFiles(props: { files?: string[]; total?: number }) {
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const { files, total } = props;
  if (!files || files.length === 0) return null;
  const more = (total ?? files.length) - files.length;
  return (
    <Typography
      variant="caption"
      component="div"
      color="textSecondary"
      style={{ wordBreak: 'break-all' }}
    >
      {files.join(', ')}
      {more > 0 ? ` ${t('provenance.moreFiles', { more: String(more) })}` : ''}
    </Typography>
  );
}
