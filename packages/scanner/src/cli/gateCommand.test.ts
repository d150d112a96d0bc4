import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { main } from './main';
import { parseDuration, parseEntityRef } from './gateCommand';
import { captureIo } from './testing';

const BASE = 'https://portal.example.com';
const GATE = `${BASE}/api/ml-governance/gate/component/default/fraud-scorer`;

const blocked = {
  entityRef: 'component:default/fraud-scorer',
  decision: 'BLOCK',
  blocking: [
    {
      ruleId: 'PICKLE-EXEC',
      title: 'Pickle invokes a dangerous callable on load',
      fingerprint: 'a1b2c3',
      pendingAcceptance: { id: 'ra-7', status: 'under-review' },
    },
  ],
  lastScanAt: '2026-11-25T11:00:00Z',
};
const passed = { ...blocked, decision: 'PASS', blocking: [] };

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

async function gate(
  argv: string[],
  env: Record<string, string> = { MLGOV_TOKEN: 'secret-token' },
) {
  const capture = captureIo('/', { env });
  const code = await main(['gate', ...argv], capture.io);
  return { code, ...capture.output, sleeps: capture.sleeps };
}

describe('mlgov gate', () => {
  it('asks the portal with the bearer token and exits with the decision', async () => {
    let authorization: string | null = null;
    server.use(
      http.get(GATE, ({ request }) => {
        authorization = request.headers.get('authorization');
        return HttpResponse.json(passed);
      }),
    );
    const result = await gate(['fraud-scorer', '--url', `${BASE}/`]);
    expect(result.code).toBe(0);
    expect(authorization).toBe('Bearer secret-token');
    expect(result.stdout).toBe(
      'component:default/fraud-scorer: PASS (last scan 2026-11-25T11:00:00Z)\n',
    );
  });

  it('prints what blocks the release and any pending acceptance, and exits 20', async () => {
    server.use(http.get(GATE, () => HttpResponse.json(blocked)));
    const result = await gate([
      'component:default/fraud-scorer',
      '--url',
      BASE,
    ]);
    expect(result.code).toBe(20);
    expect(result.stdout).toContain(
      'PICKLE-EXEC  Pickle invokes a dangerous callable on load  (fingerprint a1b2c3)  [acceptance ra-7: under-review]',
    );
    expect(result.stdout).toContain('request a risk acceptance');
  });

  it('with --wait, polls until an approved acceptance turns BLOCK into PASS', async () => {
    let calls = 0;
    server.use(
      http.get(GATE, () => HttpResponse.json(++calls < 3 ? blocked : passed)),
    );
    const result = await gate([
      'fraud-scorer',
      '--url',
      BASE,
      '--wait',
      '--interval',
      '1m',
    ]);
    expect(result).toMatchObject({ code: 0, sleeps: [60_000, 60_000] });
    expect(result.stderr).toContain(
      'is BLOCK (1 blocking, 1 with an acceptance pending); next check in 60s',
    );
  });

  it('with --wait, exits as BLOCK at the timeout', async () => {
    server.use(http.get(GATE, () => HttpResponse.json(blocked)));
    const result = await gate([
      'fraud-scorer',
      '--url',
      BASE,
      '--wait',
      '--timeout',
      '5m',
      '--interval',
      '2m',
    ]);
    expect(result.code).toBe(20);
    expect(result.sleeps).toEqual([120_000, 120_000, 60_000]);
    expect(result.stderr).toContain('still BLOCK after 5m');
  });

  it('keeps waiting through portal outages, and exits 3 if it never got an answer', async () => {
    server.use(http.get(GATE, () => new HttpResponse(null, { status: 503 })));
    const result = await gate([
      'fraud-scorer',
      '--url',
      BASE,
      '--wait',
      '--timeout',
      '1m',
      '--interval',
      '30s',
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('the portal answered HTTP 503');
    expect(result.sleeps).toEqual([30_000, 30_000]);
  });

  it('exits 2 for a refused token or an unknown entity, and 3 for a broken answer', async () => {
    server.use(http.get(GATE, () => new HttpResponse(null, { status: 401 })));
    const refused = await gate(['fraud-scorer', '--url', BASE], {});
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('set $MLGOV_TOKEN');

    server.use(http.get(GATE, () => new HttpResponse(null, { status: 404 })));
    expect((await gate(['fraud-scorer', '--url', BASE])).code).toBe(2);

    server.use(
      http.get(GATE, () =>
        HttpResponse.json({ decision: 'MAYBE', blocking: [] }),
      ),
    );
    const broken = await gate(['fraud-scorer', '--url', BASE]);
    expect(broken.code).toBe(3);
    expect(broken.stderr).toContain('without a valid decision');
  });

  it('reads the URL from MLGOV_URL and the token from the variable --token-env names', async () => {
    let authorization: string | null = null;
    server.use(
      http.get(
        `${BASE}/api/ml-governance/gate/resource/ml/scorer`,
        ({ request }) => {
          authorization = request.headers.get('authorization');
          return HttpResponse.json({ ...passed, decision: 'TICKET' });
        },
      ),
    );
    const result = await gate(
      [
        'resource:ml/scorer',
        '--token-env',
        'CI_PORTAL_TOKEN',
        '--format',
        'json',
      ],
      { MLGOV_URL: BASE, CI_PORTAL_TOKEN: 'other' },
    );
    expect(result.code).toBe(10);
    expect(authorization).toBe('Bearer other');
    expect(JSON.parse(result.stdout).decision).toBe('TICKET');
  });

  it('rejects missing URLs and malformed arguments with exit code 2', async () => {
    expect((await gate(['fraud-scorer'])).stderr).toContain(
      '--url (or MLGOV_URL) is required',
    );
    expect((await gate(['a:b:c', '--url', BASE])).code).toBe(2);
    expect((await gate(['x', '--url', BASE, '--timeout', 'soon'])).code).toBe(
      2,
    );
  });
});

describe('gate argument parsing', () => {
  it('fills entity reference defaults like Backstage', () => {
    expect(parseEntityRef('fraud-scorer')).toEqual({
      kind: 'component',
      namespace: 'default',
      name: 'fraud-scorer',
    });
    expect(parseEntityRef('resource:ml/scorer')).toEqual({
      kind: 'resource',
      namespace: 'ml',
      name: 'scorer',
    });
    expect(parseEntityRef('team-a/scorer')).toEqual({
      kind: 'component',
      namespace: 'team-a',
      name: 'scorer',
    });
  });

  it('reads durations with units', () => {
    expect([
      parseDuration('30m', 't'),
      parseDuration('30s', 't'),
      parseDuration('2h', 't'),
      parseDuration('250ms', 't'),
      parseDuration('10', 't'),
    ]).toEqual([1_800_000, 30_000, 7_200_000, 250, 10_000]);
  });
});
