import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { main } from './main';
import { captureIo } from './testing';

const BASE = 'https://portal.example.com';
const GATE = `${BASE}/api/ml-governance/gate/resource/default/fraud-model`;
const DIGEST = `sha256:${'a'.repeat(64)}`;

const base = {
  entityRef: 'resource:default/fraud-model',
  blocking: [],
  lastScanAt: '2026-11-25T11:00:00Z',
};
const promotion = {
  digest: DIGEST,
  stage: 'evaluated',
  promoted: false,
  signOffs: [
    { kind: 'security', actor: 'user:default/bob', at: '2026-11-25T12:00:00Z' },
  ],
  missingSignOffs: ['owner'],
  promotionRequested: true,
};
const awaiting = { ...base, decision: 'BLOCK', promotion };
const promoted = {
  ...base,
  decision: 'PASS',
  promotion: {
    ...promotion,
    stage: 'promoted',
    promoted: true,
    missingSignOffs: [],
  },
};
const rejected = {
  ...base,
  decision: 'BLOCK',
  promotion: {
    ...promotion,
    stage: 'rejected',
    missingSignOffs: [],
    rejected: {
      entityRef: 'resource:default/other-model',
      rejectedBy: 'user:default/bob',
      rejectedAt: '2026-11-20T10:00:00Z',
      reason: 'Backdoored weights',
    },
  },
};

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

async function gate(argv: string[]) {
  const capture = captureIo('/', { env: { MLGOV_TOKEN: 't' } });
  const code = await main(
    ['gate', 'resource:default/fraud-model', '--url', BASE, ...argv],
    capture.io,
  );
  return { code, ...capture.output, sleeps: capture.sleeps };
}

describe('mlgov gate --digest', () => {
  it('sends the digest and exits 0 only for a promoted digest', async () => {
    let asked: string | null = null;
    server.use(
      http.get(GATE, ({ request }) => {
        asked = new URL(request.url).searchParams.get('digest');
        return HttpResponse.json(promoted);
      }),
    );
    const result = await gate(['--digest', DIGEST]);
    expect(asked).toBe(DIGEST);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`@ ${DIGEST}: PASS (promoted)`);
  });

  it('exits 20 while sign-offs are missing, saying which', async () => {
    server.use(http.get(GATE, () => HttpResponse.json(awaiting)));
    const result = await gate(['--digest', DIGEST]);
    expect(result.code).toBe(20);
    expect(result.stdout).toContain('signed: security by user:default/bob');
    expect(result.stdout).toContain('Awaiting sign-off: owner');
  });

  it('never passes a promoted digest whose answer is not PASS', async () => {
    server.use(
      http.get(GATE, () =>
        HttpResponse.json({ ...promoted, decision: 'BLOCK' }),
      ),
    );
    const result = await gate(['--digest', DIGEST]);
    expect(result.code).toBe(20);
    expect(result.stdout).toContain('latest scan blocks');
  });

  it('with --wait, polls until the digest is promoted', async () => {
    let calls = 0;
    server.use(
      http.get(GATE, () =>
        HttpResponse.json(++calls < 3 ? awaiting : promoted),
      ),
    );
    const result = await gate([
      '--digest',
      DIGEST,
      '--wait',
      '--interval',
      '10s',
    ]);
    expect(result).toMatchObject({ code: 0, sleeps: [10_000, 10_000] });
    expect(result.stderr).toContain(
      'is evaluated, awaiting owner; next check in 10s',
    );
  });

  it('stops waiting at once for a rejected digest, with exit 21', async () => {
    server.use(http.get(GATE, () => HttpResponse.json(rejected)));
    const result = await gate(['--digest', DIGEST, '--wait']);
    expect(result.code).toBe(21);
    expect(result.sleeps).toEqual([]);
    expect(result.stdout).toContain(
      'Rejected under resource:default/other-model by user:default/bob',
    );
  });

  it('exits 20 at the timeout when never promoted', async () => {
    server.use(http.get(GATE, () => HttpResponse.json(awaiting)));
    const result = await gate([
      '--digest',
      DIGEST,
      '--wait',
      '--timeout',
      '1m',
      '--interval',
      '30s',
    ]);
    expect(result.code).toBe(20);
    expect(result.stderr).toContain('not promoted after 1m');
  });

  it('exits 3 when the portal does not answer for digests, 2 for a malformed digest', async () => {
    server.use(
      http.get(GATE, () => HttpResponse.json({ ...base, decision: 'PASS' })),
    );
    const old = await gate(['--digest', DIGEST]);
    expect(old.code).toBe(3);
    expect(old.stderr).toContain('did not answer for --digest');
    expect((await gate(['--digest', 'sha256: a\u0000b'])).code).toBe(2);
    expect((await gate(['--digest', 'x'.repeat(1025)])).code).toBe(2);
  });
});
