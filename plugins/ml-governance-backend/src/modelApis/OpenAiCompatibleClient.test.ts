import {
  startFakeModelProvider,
  type FakeModelProvider,
} from '../__testUtils__/fakeModelProvider';
import { ModelApiCallError } from './ModelApiClient';
import type { ModelApiProviderConfig } from './modelApisConfig';
import { OpenAiCompatibleClient, retryAfterMs } from './OpenAiCompatibleClient';
import { TokenBucket } from './TokenBucket';

jest.setTimeout(30_000);

describe('OpenAiCompatibleClient against the fake provider', () => {
  let fake: FakeModelProvider;
  beforeAll(async () => {
    fake = await startFakeModelProvider();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
    fake.behaviour.rateLimitNext = 0;
    fake.behaviour.answerOverride = undefined;
    fake.behaviour.reportedModel = undefined;
    fake.behaviour.latencyMs = 5;
  });

  function client(
    overrides: Partial<ModelApiProviderConfig> = {},
    sleeps: number[] = [],
  ) {
    const provider: ModelApiProviderConfig = {
      id: 'fake',
      type: 'openai-compatible',
      baseUrl: fake.baseUrl,
      apiKey: fake.token,
      requestsPerMinute: 60_000,
      timeoutMs: 5000,
      maxResponseBytes: 1_048_576,
      maxRetries: 2,
      ...overrides,
    };
    return new OpenAiCompatibleClient(
      provider,
      new TokenBucket(provider.requestsPerMinute),
      async ms => {
        sleeps.push(ms);
      },
    );
  }

  it('sends the system prompt and the probe, with bearer auth, and records the reported model', async () => {
    fake.behaviour.answers.set('Capital of France?', 'Paris.');
    fake.behaviour.reportedModel = 'gpt-test-2024-08-06';
    const reply = await client().chat({
      model: 'gpt-test',
      systemPrompt: 'Be brief.',
      prompt: 'Capital of France?',
    });
    expect(reply).toEqual({
      answer: 'Paris.',
      observedModel: 'gpt-test-2024-08-06',
      latencyMs: expect.any(Number),
    });
    const [sent] = fake.requests;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.authorized).toBe(true);
    expect(sent.body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Capital of France?' },
    ]);
  });

  it('turns a wrong token into an error with the status, never an answer', async () => {
    const failure = client({ apiKey: 'wrong' }).chat({
      model: 'm',
      prompt: 'p',
    });
    await expect(failure).rejects.toThrow(ModelApiCallError);
    await expect(
      client({ apiKey: 'wrong' }).chat({ model: 'm', prompt: 'p' }),
    ).rejects.toMatchObject({ status: 401 });
  });

  it('retries a 429 after its Retry-After, and gives up after maxRetries', async () => {
    const sleeps: number[] = [];
    fake.behaviour.rateLimitNext = 2;
    fake.behaviour.retryAfterSeconds = '3';
    await expect(
      client({}, sleeps).chat({ model: 'm', prompt: 'p' }),
    ).resolves.toMatchObject({ answer: expect.any(String) });
    expect(sleeps).toEqual([3000, 3000]);
    expect(fake.requests).toHaveLength(3);

    fake.behaviour.rateLimitNext = 5;
    await expect(
      client({ maxRetries: 1 }).chat({ model: 'm', prompt: 'p' }),
    ).rejects.toMatchObject({ status: 429 });
  });

  it('refuses a Retry-After longer than a minute instead of stalling the run', async () => {
    fake.behaviour.rateLimitNext = 1;
    fake.behaviour.retryAfterSeconds = '3600';
    await expect(client().chat({ model: 'm', prompt: 'p' })).rejects.toThrow(
      /too long/,
    );
  });

  it('caps the response size and times out', async () => {
    fake.behaviour.answerOverride = 'x'.repeat(50_000);
    await expect(
      client({ maxResponseBytes: 10_000 }).chat({ model: 'm', prompt: 'p' }),
    ).rejects.toThrow(/10000-byte cap/);
    fake.behaviour.answerOverride = undefined;
    fake.behaviour.latencyMs = 1500;
    await expect(
      client({ timeoutMs: 200 }).chat({ model: 'm', prompt: 'p' }),
    ).rejects.toThrow(/within 200 ms/);
  });

  it('returns one embedding per input', async () => {
    const vectors = await client().embed('embed-1', ['a b', 'c']);
    expect(vectors).toHaveLength(2);
    expect(vectors[0]).toHaveLength(64);
  });

  it('paces requests through the token bucket (requestsPerMinute)', async () => {
    // 1200/min = 20 per second, one second's worth (20) may go at once.
    const paced = client({ requestsPerMinute: 1200 });
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 40 }, () => paced.chat({ model: 'm', prompt: 'p' })),
    );
    const elapsed = performance.now() - started;
    // The 20 after the burst need at least 950 ms at 20/s.
    expect(elapsed).toBeGreaterThanOrEqual(950);
    const at = fake.requests.map(r => r.at).sort((a, b) => a - b);
    // In the first half second: the burst of 20 and at most 10 refilled (+1 for timer rounding).
    expect(at.filter(t => t < at[0] + 500).length).toBeLessThanOrEqual(31);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, ignores junk', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('0.5')).toBe(500);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 5000)).toBe(5000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});

describe('TokenBucket', () => {
  it('lets one second of requests through at once, then one per 1/rate', async () => {
    let now = 0;
    const waits: number[] = [];
    const bucket = new TokenBucket(
      120,
      () => now,
      async ms => {
        waits.push(ms);
        now += ms;
      },
    );
    for (let i = 0; i < 5; i++) await bucket.take();
    // Capacity 2, then 500 ms per token.
    expect(waits).toEqual([500, 500, 500]);
    expect(now).toBe(1500);
  });
});
