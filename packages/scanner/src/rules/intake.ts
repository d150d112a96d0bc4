import type { Rule } from '../model/rule';

/**
 * Rules of the intake and promotion lifecycle (docs/promotion.md). The portal raises them from what
 * it knows beyond the bytes: the rejected-artifact log and the reference an entity points at.
 */
export const INTAKE_RULES: Rule[] = [
  {
    id: 'INTAKE-REJECTED-ARTIFACT',
    title: 'Artifact was rejected before',
    category: 'provenance',
    severity: 'critical',
    cwe: ['CWE-1357', 'CWE-494'],
    owaspLlm: ['LLM03:2025', 'LLM04:2025'],
    description:
      'The digest this target resolves to is in the rejected-artifact log: a reviewer rejected exactly these bytes (under this entity or another one) and rejection is final. The same artifact has come back, copied, renamed or registered again.',
    fix: 'Remove the artifact and use a version that went through intake; a fixed or re-exported artifact has a new digest and starts in quarantine. The log entry says who rejected it and why.',
    docsAnchor: 'intake-rejected-artifact',
    retest: 'Rescan the entity from its ML Governance tab',
  },
  {
    id: 'INTAKE-MOVING-REFERENCE',
    title: 'Artifact is referenced by a moving name',
    category: 'provenance',
    severity: 'medium',
    cwe: ['CWE-1357', 'CWE-494'],
    owaspLlm: ['LLM03:2025'],
    description:
      'The entity points at a reference that can change under it — a branch (`main`), `latest`, a Hub repository without a commit SHA, an image tag without a digest, an MLflow stage or alias. What was evaluated and promoted is then not necessarily what is deployed next.',
    fix: 'Pin the reference: a 40-character commit SHA (`hf://org/name@<sha>`, `/tree/<sha>/`), an MLflow version number (`mlflow://name/3`), an image digest (`oci://host/repo@sha256:…`).',
    docsAnchor: 'intake-moving-reference',
    retest: 'Rescan the entity from its ML Governance tab',
  },
];
