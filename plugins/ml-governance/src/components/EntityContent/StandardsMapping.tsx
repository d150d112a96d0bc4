import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** The MITRE page of a CWE ID. */
export function cweUrl(cwe: string): string | undefined {
  const id = /(\d+)/.exec(cwe)?.[1];
  return id ? `https://cwe.mitre.org/data/definitions/${id}.html` : undefined;
}

/** CWE and OWASP Top 10 for LLM applications (2025) IDs of a rule. */
export function StandardsMapping(props: { cwe: string[]; owaspLlm: string[] }) {
  const { cwe, owaspLlm } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  if (cwe.length === 0 && owaspLlm.length === 0) return <>—</>;
  return (
    <div>
      {cwe.map(id => {
        const url = cweUrl(id);
        return (
          <Typography key={id} variant="caption" component="div">
            {url ? (
              // A plain external link: this renders in every findings row, and the
              // core-components Link's routing and analytics hooks cost more than the row.
              <Link href={url} target="_blank" rel="noopener noreferrer">
                {id}
              </Link>
            ) : (
              id
            )}
          </Typography>
        );
      })}
      {owaspLlm.map(id => (
        <Typography key={id} variant="caption" component="div">
          {t('labels.owasp', { id })}
        </Typography>
      ))}
    </div>
  );
}
