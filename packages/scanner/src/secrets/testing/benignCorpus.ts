import { createHash } from 'node:crypto';

/**
 * A deterministic benign corpus for the false-positive budget: the text an ML repository holds that
 * looks random or mentions secrets without being one. Configs that read credentials from the
 * environment, code full of digests and UUIDs, notebooks with base64 images, documentation with the
 * vendors' published example keys, password hashes, file paths to keys, lock-file integrity values.
 * Generated, not committed: `node bench/run.js falsePositives` prints the rates.
 */
export interface BenignDocument {
  path: string;
  text: string;
}

/** Small seeded PRNG (mulberry32): the same corpus on every machine. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (seed: string, length: number) =>
  createHash('sha512').update(seed).digest('hex').repeat(2).slice(0, length);
const b64 = (seed: string, length: number) =>
  createHash('sha512').update(seed).digest('base64').repeat(4).slice(0, length);
const uuid = (seed: string) => {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
};

const DOC_URLS = [
  'https://docs.python.org/3/library/hashlib.html',
  'https://pytorch.org/docs/stable/generated/torch.load.html',
  'https://huggingface.co/docs/hub/security-tokens',
  'https://developer.mozilla.org/en-US/docs/Web/HTTP/Authentication',
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html',
  'https://kubernetes.io/docs/concepts/configuration/secret/',
];

function config(i: number, next: () => number): string {
  return [
    `# training config ${i}`,
    `run_id: ${uuid(`run${i}`)}`,
    `dataset_sha256: ${hex(`ds${i}`, 64)}`,
    `model_revision: ${hex(`rev${i}`, 40)}`,
    'hub_token: ${HF_TOKEN}',
    'aws_secret_access_key: ${AWS_SECRET_ACCESS_KEY}',
    'database_url: postgresql://trainer:${DB_PASSWORD}@db.internal:5432/features',
    'password: changeme',
    `secret_name: ml-training-secrets-${i % 7}`,
    'private_key_path: /etc/ssl/private/trainer.key',
    `token_cache_dir: ~/.cache/huggingface/token-${i}`,
    'auth_token_header: X-Auth-Token-Header',
    `learning_rate: ${(next() / 100).toFixed(5)}`,
    `seed: ${Math.floor(next() * 1e6)}`,
    `docs: ${DOC_URLS[i % DOC_URLS.length]}`,
  ].join('\n');
}

function code(i: number): string {
  return [
    'import hashlib, os, uuid',
    `EXPECTED_DIGEST = "${hex(`w${i}`, 64)}"`,
    `CHECKPOINT_SHA1 = "${hex(`c${i}`, 40)}"`,
    `REQUEST_ID = "${uuid(`req${i}`)}"`,
    'HF_TOKEN = os.environ["HF_TOKEN"]',
    'api_key = os.getenv("OPENAI_API_KEY", "")',
    'password = getpass.getpass("Database password: ")',
    `password_hash = "$2b$12$${b64(`pw${i}`, 53).replace(/[+/=]/g, '.')}"`,
    `session_token_name = "session-token"`,
    `secret_key_file = "/run/secrets/app_secret_key_${i}"`,
    `etag = "${b64(`etag${i}`, 27)}"`,
    'def verify(path):',
    '    with open(path, "rb") as handle:',
    '        return hashlib.sha256(handle.read()).hexdigest() == EXPECTED_DIGEST',
    `# see ${DOC_URLS[(i + 1) % DOC_URLS.length]}`,
  ].join('\n');
}

function notebook(i: number): string {
  const png = `iVBORw0KGgoAAAANSUhEUgAA${b64(`png${i}`, 400)}`;
  return JSON.stringify(
    {
      cells: [
        {
          cell_type: 'code',
          source: [
            'from huggingface_hub import login\n',
            'login(token=os.environ["HF_TOKEN"])\n',
          ],
          outputs: [{ data: { 'image/png': png, 'text/plain': ['<Figure>'] } }],
        },
        {
          cell_type: 'markdown',
          source: [`Run ${uuid(`nb${i}`)} — digest ${hex(`nb${i}`, 64)}`],
        },
      ],
      metadata: { kernelspec: { name: 'python3' } },
    },
    null,
    1,
  );
}

/** The example keys vendors publish in their own documentation, marked as such. */
function documentation(i: number): string {
  return [
    `# Credentials (${i})`,
    'Never commit keys. The AWS documentation uses this example pair:',
    '    aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
    '    aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'Set `HF_TOKEN=hf_xxx` (your token from the settings page).',
    'Connection strings look like `postgresql://user:password@host/db`.',
    '    token: <your-token-here>',
    '    api_key: "YOUR_API_KEY"',
    `Read ${DOC_URLS[(i + 2) % DOC_URLS.length]} before rotating.`,
    `"integrity": "sha512-${b64(`lock${i}`, 86)}=="`,
  ].join('\n');
}

/** `count` documents of each kind: configs, code, notebooks, docs. */
export function benignCorpus(count = 250): BenignDocument[] {
  const next = random(20261207);
  const documents: BenignDocument[] = [];
  for (let i = 0; i < count; i++) {
    documents.push({ path: `configs/train-${i}.yaml`, text: config(i, next) });
    documents.push({ path: `src/verify_${i}.py`, text: code(i) });
    documents.push({ path: `notebooks/eda-${i}.ipynb`, text: notebook(i) });
    documents.push({
      path: `docs/credentials-${i}.md`,
      text: documentation(i),
    });
  }
  return documents;
}

/** Benign text for the dataset cell signatures: reviews, code snippets and documentation prose. */
export function benignCellTexts(count = 2000): string[] {
  const next = random(7);
  const phrases = [
    'Ignore the first reading; the sensor needs a minute to warm up.',
    'The system prompt in our app greets the user by name.',
    'Please forget my previous order and ship the blue one instead.',
    'Act as if the meeting is at 10; I will confirm tomorrow.',
    'You are now subscribed to the newsletter.',
    'Print your boarding pass before you reach the airport.',
    '=> returns the parsed value (see the docs)',
    '-5 degrees and the battery still lasts all day',
    '@support thanks, the replacement arrived',
    'for (let i = 0; i < n; i++) { total += price[i]; }',
    'if x > 0 and not disabled: return compute(x)',
    '<b>Bold</b> claims, but the <i>italic</i> fine print matters',
    'Override the default timeout with --timeout 30',
    'Repeat the previous step until the LED blinks green.',
  ];
  const out: string[] = [];
  for (let i = 0; i < count; i++)
    out.push(
      `${phrases[i % phrases.length]} ${
        DOC_URLS[Math.floor(next() * DOC_URLS.length)]
      } #${i}`,
    );
  return out;
}
