import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Scanner, type ScanOptions } from '../engine/Scanner';
import type { FormatReader } from '../engine/FormatReader';
import { main } from './main';
import { captureIo } from './testing';

/** Fails on files starting with "X": the engine turns that into SCAN-ERROR (high), a local BLOCK. */
const failingReader: FormatReader = {
  id: 'test-failing',
  priority: 1,
  sniff: head => head[0] === 0x58,
  async read() {
    throw new Error('truncated stream');
  },
};
const deps = {
  createScanner: (options: ScanOptions) =>
    new Scanner({ ...options, readers: [failingReader] }),
};

interface Received {
  method?: string;
  url?: string;
  authorization?: string;
  body: any;
}

/** A stand-in portal speaking the ci-scans route: records the request, answers with `reply`. */
async function portal(reply: { status: number; body: unknown }) {
  const received: Received[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    received.push({
      method: req.method,
      url: req.url,
      authorization: req.headers.authorization,
      body: JSON.parse(text),
    });
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply.body));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

async function tree(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlgov-report-'));
  await mkdir(join(dir, 'clean'));
  await writeFile(join(dir, 'clean', 'readme.txt'), 'hello');
  await mkdir(join(dir, 'block'));
  await writeFile(join(dir, 'block', 'model.bin'), 'X broken');
  return dir;
}

const GITHUB_ENV = {
  MLGOV_TOKEN: 'ci-token',
  GITHUB_SHA: 'abcdef0123456789abcdef0123456789abcdef01',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'acme/models',
  GITHUB_RUN_ID: '77',
};

async function scan(argv: string[], cwd: string, env: Record<string, string>) {
  const { io, output } = captureIo(cwd, { env });
  const code = await main(['scan', ...argv], io, deps);
  return { code, ...output };
}

describe('mlgov scan --report-to', () => {
  it('uploads findings with the CI provenance and exits on the portal decision, not the local one', async () => {
    const dir = await tree();
    const server = await portal({
      status: 201,
      body: { id: 'run-1', trigger: 'ci', decision: 'TICKET' },
    });
    try {
      const result = await scan(
        [
          'block',
          '--quiet',
          '--report-to',
          `${server.url}/`,
          '--entity',
          'resource:default/fraud-model',
        ],
        dir,
        GITHUB_ENV,
      );
      expect(server.received).toHaveLength(1);
      const [req] = server.received;
      expect(req.method).toBe('POST');
      expect(req.url).toBe(
        '/api/ml-governance/entities/resource/default/fraud-model/ci-scans',
      );
      expect(req.authorization).toBe('Bearer ci-token');
      expect(req.body).toMatchObject({
        decision: 'BLOCK',
        commitSha: GITHUB_ENV.GITHUB_SHA,
        runUrl: 'https://github.com/acme/models/actions/runs/77',
      });
      expect(req.body.findings).toHaveLength(1);
      expect(req.body.findings[0]).toMatchObject({
        ruleId: 'SCAN-ERROR',
        target: 'block',
        severity: 'high',
      });
      expect(Object.keys(req.body).sort()).toEqual([
        'commitSha',
        'decision',
        'findings',
        'runUrl',
      ]);
      expect(result.stderr).toContain('portal decision TICKET');
      expect(result.code).toBe(10);
    } finally {
      await server.close();
    }
  });

  it('blocks when the portal says BLOCK even if the local scan passed; flags win over CI variables', async () => {
    const dir = await tree();
    const server = await portal({
      status: 201,
      body: { id: 'run-2', decision: 'BLOCK' },
    });
    try {
      const result = await scan(
        [
          'clean',
          '--quiet',
          '--report-to',
          server.url,
          '--entity',
          'fraud-model',
          '--commit',
          '1234567',
          '--run-url',
          'https://ci.example/1',
        ],
        dir,
        { ...GITHUB_ENV, CI_JOB_URL: 'https://gitlab.example/job/9' },
      );
      expect(server.received[0].url).toBe(
        '/api/ml-governance/entities/component/default/fraud-model/ci-scans',
      );
      expect(server.received[0].body).toEqual({
        findings: [],
        decision: 'PASS',
        commitSha: '1234567',
        runUrl: 'https://ci.example/1',
      });
      expect(result.code).toBe(20);
    } finally {
      await server.close();
    }
  });

  it('exits 3 with the portal message when the upload is refused, and 2 without a token', async () => {
    const dir = await tree();
    const server = await portal({
      status: 403,
      body: { error: { name: 'NotAllowedError', message: 'Unauthorized' } },
    });
    try {
      const refused = await scan(
        [
          'clean',
          '--quiet',
          '--report-to',
          server.url,
          '--entity',
          'fraud-model',
        ],
        dir,
        GITHUB_ENV,
      );
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(
        'the portal refused the upload (403): Unauthorized',
      );
      const noToken = await scan(
        [
          'clean',
          '--quiet',
          '--report-to',
          server.url,
          '--entity',
          'fraud-model',
        ],
        dir,
        {},
      );
      expect(noToken.code).toBe(2);
      expect(noToken.stderr).toContain('MLGOV_TOKEN');
      expect(server.received).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
