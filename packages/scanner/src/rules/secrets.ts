import type { Rule } from '../model/rule';

/**
 * Credentials in anything the scanner reads as text (notebooks, configs, model cards, source).
 * A secret is never stored or shown: evidence has a redacted preview (first 4 characters) and the
 * SHA-256 of the value, which acceptances refer to.
 */
export const SECRET_RULES: Rule[] = [
  {
    id: 'SECRET-CLOUD-CREDENTIAL',
    title: 'Cloud credential in the artifact',
    category: 'source',
    severity: 'critical',
    cwe: ['CWE-798', 'CWE-312'],
    owaspLlm: ['LLM02:2025'],
    description:
      'An AWS access key ID or secret access key, a GCP service-account private key, or an Azure storage/Service Bus connection-string key. Anyone who gets the artifact acts as that identity in the cloud account.',
    fix: 'Revoke and rotate the credential now (it is exposed to everyone who had the artifact), remove it, and load credentials from the environment or a secret manager at run time.',
    docsAnchor: 'secret-cloud-credential',
  },
  {
    id: 'SECRET-API-TOKEN',
    title: 'API token in the artifact',
    category: 'source',
    severity: 'high',
    cwe: ['CWE-798', 'CWE-312'],
    owaspLlm: ['LLM02:2025', 'LLM03:2025'],
    description:
      'A Hugging Face, OpenAI, Anthropic, GitHub, GitLab or Slack token. A Hugging Face write token lets its holder replace model files in your repositories; the others spend your quota or act as you.',
    fix: 'Revoke the token at the provider, remove it, and pass tokens through the environment (`HF_TOKEN`) or a secret store.',
    docsAnchor: 'secret-api-token',
  },
  {
    id: 'SECRET-PRIVATE-KEY',
    title: 'Private key in the artifact',
    category: 'source',
    severity: 'critical',
    cwe: ['CWE-321', 'CWE-312'],
    owaspLlm: ['LLM02:2025'],
    description:
      'A PEM private key (RSA, EC, DSA, OpenSSH, PGP). It gives its holder the TLS identity, SSH access or signing ability of its owner.',
    fix: 'Treat the key as compromised: revoke the certificate or authorised key, generate a new one, and keep keys out of artifacts.',
    docsAnchor: 'secret-private-key',
  },
  {
    id: 'SECRET-DATABASE-URL',
    title: 'Database URL with a password',
    category: 'source',
    severity: 'high',
    cwe: ['CWE-798'],
    owaspLlm: ['LLM02:2025'],
    description:
      'A connection URL (`postgresql://user:password@host`, MySQL, MongoDB, Redis, AMQP, SQL Server) with its password inline. Placeholders (`password`, `${DB_PASSWORD}`, `<pass>`) are not reported.',
    fix: 'Change the database password, remove it from the URL and read it from the environment or a secret store.',
    docsAnchor: 'secret-database-url',
  },
  {
    id: 'SECRET-GENERIC',
    title: 'High-entropy value assigned to a secret-like name',
    category: 'source',
    severity: 'medium',
    cwe: ['CWE-798'],
    owaspLlm: ['LLM02:2025'],
    description:
      'A quoted value of 16+ characters with Shannon entropy ≥ 3.5 bits per character, assigned to a name containing `secret`, `token`, `password`, `api_key`, `access_key`, `credential`. Hex digests, UUIDs, SRI hashes and placeholders (`example`, `changeme`, `${VAR}`) are not reported.',
    fix: 'If it is a credential, rotate it and load it from the environment; if it is not, accept the finding by its hash.',
    docsAnchor: 'secret-generic',
  },
];
