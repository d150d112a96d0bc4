import { detectSecrets, hashSecret, shannonEntropy } from './detectSecrets';

// Secrets are assembled at run time so that no credential-shaped string sits in the repository.
const join = (...parts: string[]) => parts.join('');
const AWS_ID = join('AKIA', 'Q3EGRTY5', 'ZXCVBNM7');
const AWS_SECRET = join('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYzQ8mN3pL6s');
const HF = join('hf_', 'aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3k');
const GITHUB = join('ghp_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8');
const SLACK = join(
  'xoxb-',
  '123456789012-1234567890123-',
  'AbCdEfGhIjKlMnOpQrStUvWx',
);
const OPENAI = join(
  'sk-proj-',
  'Xy7Qp2Lm9Rt4Vb6Nc8Zd1Fg3Hj5Kk0Ws2Ee4Tt6Yy8Uu0Ii',
);
const ANTHROPIC = join(
  'sk-ant-api03-',
  'Q'.repeat(20),
  'w8E2r4T6y8U0i2O4p6A8s0D2f4G6h8J0k2L4z6X8c0V2b4N6m8Q0w2E4r6T8y0U2i4O6p8A0s2',
);
const PEM = join(
  '-----BEGIN RSA PRIVATE KEY-----\n',
  'MIIEowIBAAKCAQEA7bq3xN0v8k2YtFq9Lm4Rz6Wc1Hj5Pn8Ts3Vd0Gb2Ke7Ua9Xf\n',
  'x'.repeat(10),
  '\n-----END RSA PRIVATE KEY-----',
);
const DB_PASSWORD = join('s3cr3t-', 'Pa55w0rd');
const AZURE_KEY = join(
  'Zm9vYmFyYmF6cXV4',
  'cXV1eDEyMzQ1Njc4OTBhYmNkZWZnaGlqa2xtbm9wcXJzdHV2',
  '==',
);

describe('secret detector', () => {
  it.each([
    [
      'aws-access-key-id',
      'SECRET-CLOUD-CREDENTIAL',
      `aws_access_key_id = ${AWS_ID}`,
      AWS_ID,
    ],
    [
      'aws-secret-access-key',
      'SECRET-CLOUD-CREDENTIAL',
      `aws_secret_access_key = ${AWS_SECRET}`,
      AWS_SECRET,
    ],
    [
      'azure-storage-connection-string',
      'SECRET-CLOUD-CREDENTIAL',
      `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${AZURE_KEY};EndpointSuffix=core.windows.net`,
      AZURE_KEY,
    ],
    ['huggingface-token', 'SECRET-API-TOKEN', `HF_TOKEN=${HF}`, HF],
    [
      'github-token',
      'SECRET-API-TOKEN',
      `git clone https://${GITHUB}@github.com/acme/x`,
      GITHUB,
    ],
    ['slack-token', 'SECRET-API-TOKEN', `token: ${SLACK}`, SLACK],
    [
      'openai-key',
      'SECRET-API-TOKEN',
      `client = OpenAI(api_key="${OPENAI}")`,
      OPENAI,
    ],
    [
      'anthropic-key',
      'SECRET-API-TOKEN',
      `ANTHROPIC_API_KEY=${ANTHROPIC}`,
      ANTHROPIC,
    ],
    ['pem-private-key', 'SECRET-PRIVATE-KEY', `key = """${PEM}"""`, undefined],
    [
      'database-url-with-password',
      'SECRET-DATABASE-URL',
      `DATABASE_URL=postgresql://app:${DB_PASSWORD}@db.internal:5432/prod`,
      DB_PASSWORD,
    ],
  ])('finds a %s', (kind, ruleId, text, secret) => {
    const [match, ...rest] = detectSecrets(`# config\n${text}\n`);
    expect(rest).toEqual([]);
    expect(match).toMatchObject({ kind, ruleId, line: 2 });
    expect(match.redacted).toMatch(/^.{4}\*\*\*\*$/);
    // The PEM case has no single value to compare: its preview is the armour line.
    const value = secret ?? '-----BEGIN';
    expect(match.redacted).toBe(`${value.slice(0, 4)}****`);
    expect(match.sha256).toHaveLength(64);
    expect(secret === undefined || match.sha256 === hashSecret(secret)).toBe(
      true,
    );
  });

  it('finds a GCP service-account key file', () => {
    const keyFile = JSON.stringify({
      type: 'service_account',
      project_id: 'acme-ml',
      private_key_id: 'abc',
      private_key: `${PEM}\n`,
      client_email: 'trainer@acme-ml.iam.gserviceaccount.com',
    });
    expect(detectSecrets(keyFile).map(m => m.kind)).toEqual([
      'gcp-service-account',
    ]);
  });

  it('finds random values assigned to secret-like names', () => {
    const text = `SECRET_KEY = "${join(
      'q8Zr3Lp0Xv7Nw2Ty5',
      'Mb9Kc4Hd6Jf1',
    )}"\n`;
    expect(detectSecrets(text)).toEqual([
      expect.objectContaining({
        ruleId: 'SECRET-GENERIC',
        kind: 'generic-high-entropy',
        line: 1,
      }),
    ]);
  });

  it('ignores hashes, UUIDs, placeholders, documentation examples and low-entropy values', () => {
    const text = [
      'api_key = "AKIAIOSFODNN7EXAMPLE"',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'token_sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"',
      'request_token = "123e4567-e89b-12d3-a456-426614174000"',
      'password = "aaaaaaaaaaaaaaaaaaaa"',
      'DATABASE_URL=postgresql://user:password@localhost/db',
      'DATABASE_URL=postgresql://user:${DB_PASSWORD}@localhost/db',
      'secret_name = "my-secret-name-for-prod"',
      'integrity_token: "sha512-Zk9x3Lm1Qw8Rt5Yp2Vb7Nc4Hd6Jf0Ks3Ae9Uo1Ii7Ty5Re3"',
      'hf_hub_download(repo_id="meta-llama/Llama-3.1-8B", filename="config.json")',
    ].join('\n');
    expect(detectSecrets(text)).toEqual([]);
  });

  it('reports one secret once, at its first line', () => {
    const matches = detectSecrets(`a=${HF}\nb=${HF}\n`);
    expect(matches.map(m => m.line)).toEqual([1]);
  });

  it('measures entropy in bits per character', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });

  it('searches 200k lines of ordinary text quickly', () => {
    const lines = Array.from({ length: 200_000 }, (_, i) =>
      i % 1000 === 0
        ? `token = "${HF}"`
        : `value_${i} = compute(${i}, "some text about https://docs.python.org/3/")`,
    );
    const started = Date.now();
    const matches = detectSecrets(lines.join('\n'));
    const elapsed = Date.now() - started;
    expect(matches).toHaveLength(1);
    // Generous bound for a shared CI machine; measured locally in docs/benchmarks.md.
    expect(elapsed).toBeLessThan(5000);
  });
});
