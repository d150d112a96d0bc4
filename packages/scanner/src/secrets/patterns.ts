/**
 * Secret signatures, as data. Each names the rule it reports under, a regular expression whose
 * group `secret` (or the whole match) is the credential, and why it is worth a finding.
 * Patterns are anchored on vendor prefixes or structure so that ordinary text does not match;
 * the generic high-entropy check lives in `entropy.ts`.
 */
export interface SecretPattern {
  id: string;
  ruleId:
    | 'SECRET-CLOUD-CREDENTIAL'
    | 'SECRET-API-TOKEN'
    | 'SECRET-PRIVATE-KEY'
    | 'SECRET-DATABASE-URL';
  label: string;
  pattern: RegExp;
  reason: string;
}

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    id: 'aws-access-key-id',
    ruleId: 'SECRET-CLOUD-CREDENTIAL',
    label: 'AWS access key ID',
    pattern: /\b(?<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/g,
    reason:
      'Identifies an IAM user or session key; with its secret it signs AWS API calls.',
  },
  {
    id: 'aws-secret-access-key',
    ruleId: 'SECRET-CLOUD-CREDENTIAL',
    label: 'AWS secret access key',
    pattern:
      /aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
    reason:
      'The signing half of an AWS key pair: full access as that identity.',
  },
  {
    id: 'gcp-service-account',
    ruleId: 'SECRET-CLOUD-CREDENTIAL',
    label: 'GCP service-account private key',
    pattern:
      /"private_key"\s*:\s*"(?<secret>-----BEGIN (?:RSA )?PRIVATE KEY-----[^"]{32,})"/g,
    reason:
      'A service-account JSON key file: acts as that service account in Google Cloud.',
  },
  {
    id: 'azure-storage-connection-string',
    ruleId: 'SECRET-CLOUD-CREDENTIAL',
    label: 'Azure connection string key',
    pattern:
      /(?:AccountKey|SharedAccessKey)=(?<secret>[A-Za-z0-9+/]{40,}={0,2})/g,
    reason:
      'Storage account or Service Bus key inside a connection string: full data access.',
  },
  {
    id: 'huggingface-token',
    ruleId: 'SECRET-API-TOKEN',
    label: 'Hugging Face token',
    pattern: /\b(?<secret>hf_[A-Za-z0-9]{34,40})\b/g,
    reason:
      'Reads private models and, with write scope, replaces model files in a repository.',
  },
  {
    id: 'anthropic-key',
    ruleId: 'SECRET-API-TOKEN',
    label: 'Anthropic API key',
    pattern: /\b(?<secret>sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,})/g,
    reason: 'Bills model usage to the owner and exposes their workspace.',
  },
  {
    id: 'openai-key',
    ruleId: 'SECRET-API-TOKEN',
    label: 'OpenAI-style API key',
    pattern:
      /\b(?<secret>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}|sk-proj-[A-Za-z0-9_-]{40,})/g,
    reason:
      'Bills model usage to the owner and can read their files and fine-tunes.',
  },
  {
    id: 'github-token',
    ruleId: 'SECRET-API-TOKEN',
    label: 'GitHub token',
    pattern:
      /\b(?<secret>(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255}))\b/g,
    reason:
      'Acts as the user or app on GitHub: push to repositories, read private code.',
  },
  {
    id: 'gitlab-token',
    ruleId: 'SECRET-API-TOKEN',
    label: 'GitLab token',
    pattern: /\b(?<secret>gl(?:pat|dt|rt|ptt)-[A-Za-z0-9_-]{20,})\b/g,
    reason:
      'Acts as the user on GitLab: repositories, registries, CI variables.',
  },
  {
    id: 'slack-token',
    ruleId: 'SECRET-API-TOKEN',
    label: 'Slack token',
    pattern: /\b(?<secret>xox[abposr]-[A-Za-z0-9-]{10,})\b/g,
    reason: 'Reads and posts messages in the workspace.',
  },
  {
    id: 'slack-webhook',
    ruleId: 'SECRET-API-TOKEN',
    label: 'Slack incoming webhook',
    pattern:
      /(?<secret>https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]{20,})/g,
    reason: 'Anyone holding it posts into the channel.',
  },
  {
    id: 'pem-private-key',
    ruleId: 'SECRET-PRIVATE-KEY',
    label: 'PEM private key',
    pattern:
      /(?<secret>-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----[\s\S]{0,64}?[A-Za-z0-9+/=]{40,})/g,
    reason:
      'A private key: TLS identity, SSH access or signing ability of its owner.',
  },
  {
    id: 'database-url-with-password',
    ruleId: 'SECRET-DATABASE-URL',
    label: 'Database URL with a password',
    pattern:
      /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver):\/\/[^\s:/@"'`]+:(?<secret>[^\s@/"'`]{3,})@[^\s"'`]+/gi,
    reason:
      'A connection string carrying its password: direct access to the database.',
  },
];

/** Passwords and values that are obviously placeholders, not credentials. */
export const PLACEHOLDER_VALUES: readonly RegExp[] = [
  /^(?:password|passwd|pass|secret|changeme|change_me|example|test|testing|dummy|xxx+|\*+|\.\.\.|<[^>]*>|\$\{[^}]*\}|\$[A-Z_]+|%\([^)]*\)s|\{[^}]*\})$/i,
  /^(?:your|my|some)[-_]?/i,
  /(?:EXAMPLE|PLACEHOLDER|REDACTED|DUMMY|FAKE|SAMPLE)/i,
];
