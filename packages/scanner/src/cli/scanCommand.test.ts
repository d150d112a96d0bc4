import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Scanner, type ScanOptions } from '../engine/Scanner';
import type { FormatReader } from '../engine/FormatReader';
import { main } from './main';
import { captureIo } from './testing';

/** Fails on files starting with "X": the engine turns that into SCAN-ERROR (high). */
const failingReader: FormatReader = {
  id: 'test-failing',
  priority: 1,
  sniff: head => head[0] === 0x58,
  async read() {
    throw new Error('truncated stream');
  },
};
// Only our fake reader: these tests must not depend on the real readers other people are writing.
const deps = {
  createScanner: (options: ScanOptions) =>
    new Scanner({ ...options, readers: [failingReader] }),
};

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlgov-cli-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

async function run(
  argv: string[],
  cwd: string,
  overrides: Parameters<typeof captureIo>[1] = {},
) {
  const { io, output } = captureIo(cwd, overrides);
  const code = await main(argv, io, deps);
  return { code, ...output };
}

describe('mlgov scan', () => {
  it('exits 0 for PASS, 10 for TICKET and 20 for BLOCK', async () => {
    const dir = await tree({
      'clean/readme.txt': 'hello',
      'ticket/mystery.pt': 'no reader claims this',
      'block/model.bin': 'X broken',
    });
    expect((await run(['scan', 'clean'], dir)).code).toBe(0);
    const ticket = await run(['scan', 'ticket'], dir);
    expect(ticket.code).toBe(10);
    expect(ticket.stdout).toContain('SCAN-UNSUPPORTED');
    const block = await run(['scan', 'block/model.bin'], dir);
    expect(block.code).toBe(20);
    expect(block.stdout).toContain('■ BLOCK');
  });

  it('writes SARIF, CycloneDX and JSON next to the text report, with SARIF paths relative to the working directory', async () => {
    const dir = await tree({ 'models/fraud/model.bin': 'X broken' });
    const result = await run(
      [
        'scan',
        'models',
        '--sarif',
        'out/mlgov.sarif',
        '--cyclonedx',
        'out/bom.cdx.json',
        '--json',
        'out/report.json',
      ],
      dir,
    );
    expect(result.code).toBe(20);
    expect(result.stdout).toContain('SCAN-ERROR');
    const sarif = JSON.parse(
      await readFile(join(dir, 'out/mlgov.sarif'), 'utf8'),
    );
    expect(
      sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation,
    ).toEqual({ uri: 'models/fraud/model.bin', uriBaseId: '%SRCROOT%' });
    expect(
      JSON.parse(await readFile(join(dir, 'out/bom.cdx.json'), 'utf8')),
    ).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    expect(
      JSON.parse(await readFile(join(dir, 'out/report.json'), 'utf8')),
    ).toMatchObject({ decision: 'BLOCK', target: 'models' });
  });

  it('pairs each --output with the --format before it, and sends the unpaired one to stdout', async () => {
    const dir = await tree({ 'm/a.pt': 'unknown' });
    const result = await run(
      [
        'scan',
        'm',
        '--format',
        'json',
        '--output',
        'r.json',
        '--format',
        'sarif',
      ],
      dir,
    );
    expect(JSON.parse(result.stdout).version).toBe('2.1.0');
    expect(
      JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')).decision,
    ).toBe('TICKET');
    // A lone --output picks its format from the extension.
    await run(['scan', 'm', '--output', 'x.sarif', '--quiet'], dir);
    expect(
      JSON.parse(await readFile(join(dir, 'x.sarif'), 'utf8')).version,
    ).toBe('2.1.0');
  });

  it('refuses two reports on stdout, unknown formats and options with exit code 2', async () => {
    const dir = await tree({ 'a.pt': 'x' });
    const twice = await run(
      ['scan', '.', '--format', 'json', '--sarif', '-'],
      dir,
    );
    expect(twice).toMatchObject({ code: 2, stdout: '' });
    expect(twice.stderr).toContain('only one report can go to stdout');
    expect((await run(['scan', '.', '--format', 'xml'], dir)).code).toBe(2);
    expect((await run(['scan', '.', '--frobnicate'], dir)).code).toBe(2);
    expect((await run(['scan', 'does-not-exist'], dir)).stderr).toContain(
      'does-not-exist: no such file or directory',
    );
  });

  it('applies the policy: allow entries, ignore_paths and --fail-on', async () => {
    const dir = await tree({
      'models/a.bin': 'X broken',
      'vendor/b.bin': 'X broken',
      'policy.yaml': `apiVersion: mlgov/v1
ignore_paths: ["vendor/**"]
allow:
  - rule: SCAN-ERROR
    path: models/a.bin
    owner: team-ml
    justification: known-bad fixture kept for tests
    expires: 2027-01-31
`,
    });
    const allowed = await run(
      ['scan', '.', '--policy', 'policy.yaml', '--format', 'json'],
      dir,
    );
    const report = JSON.parse(allowed.stdout);
    expect(report.files.map((f: { path: string }) => f.path)).not.toContain(
      'vendor/b.bin',
    );
    expect(report.findings).toEqual([
      expect.objectContaining({
        ruleId: 'SCAN-ERROR',
        suppressed: expect.objectContaining({ kind: 'allowlist' }),
      }),
    ]);
    expect(allowed.code).toBe(0);
    // Without the policy the same file blocks; with --fail-on critical it only opens a ticket.
    expect((await run(['scan', 'models'], dir)).code).toBe(20);
    expect(
      (await run(['scan', 'models', '--fail-on', 'critical'], dir)).code,
    ).toBe(10);
  });

  it('reports an invalid policy with its file, line and key, and exit code 2', async () => {
    const dir = await tree({
      'p.yaml': 'apiVersion: mlgov/v1\nfail_on: hgih\n',
      'a.pt': 'x',
    });
    const result = await run(['scan', '.', '--policy', 'p.yaml'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'p.yaml:2: fail_on: "hgih" is not a severity',
    );
    expect(result.stdout).toBe('');
    expect(
      (await run(['scan', '.', '--policy', 'missing.yaml'], dir)).stderr,
    ).toContain('cannot read policy missing.yaml: ENOENT');
  });

  it('never hides a BLOCK behind a failed report write, but a failed write on a TICKET is an error', async () => {
    const dir = await tree({
      'block/a.bin': 'X broken',
      'ticket/a.pt': 'x',
      file: 'not a folder',
    });
    const blocked = await run(
      ['scan', 'block', '--json', 'file/report.json'],
      dir,
    );
    expect(blocked.code).toBe(20);
    expect(blocked.stderr).toContain(
      'cannot write the json report to file/report.json',
    );
    expect(
      (await run(['scan', 'ticket', '--json', 'file/report.json'], dir)).code,
    ).toBe(3);
  });

  it('exits 3 when the scan itself cannot complete', async () => {
    const dir = await tree({ 'a.pt': 'x' });
    const { io, output } = captureIo(dir);
    const broken = {
      createScanner: () =>
        ({
          scanPath: () => Promise.reject(new Error('disk on fire')),
        } as unknown as Scanner),
    };
    expect(await main(['scan', '.'], io, broken)).toBe(3);
    expect(output.stderr).toContain(
      'the scan could not complete: disk on fire',
    );
  });

  it('shows progress on a terminal only, and colours only without NO_COLOR', async () => {
    const dir = await tree(
      Object.fromEntries(
        Array.from({ length: 5 }, (_, i) => [`m${i}.pt`, 'x']),
      ),
    );
    let time = 0;
    const tty = { isTTY: true, columns: 60 };
    const onTty = captureIo(dir, { now: () => (time += 150) });
    Object.assign(onTty.io.stderr, tty);
    Object.assign(onTty.io.stdout, tty);
    await main(['scan', '.'], onTty.io, deps);
    expect(onTty.output.stderr).toMatch(/scanning \d\/5 m\d\.pt/);
    expect(onTty.output.stdout).toContain('\u001b[');

    const plain = captureIo(dir, {
      now: () => (time += 150),
      env: { NO_COLOR: '1' },
    });
    Object.assign(plain.io.stdout, tty);
    await main(['scan', '.'], plain.io, deps);
    expect(plain.output.stderr).toBe('');
    expect(plain.output.stdout).not.toContain('\u001b[');
  });

  it('explains itself: --help lists options, examples and exit codes', async () => {
    const result = await run(['scan', '--help'], tmpdir());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--sarif <file>');
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain('20  BLOCK');
    expect((await run([], tmpdir())).code).toBe(2);
    expect((await run(['--version'], tmpdir())).stdout).toMatch(
      /^mlgov \d+\.\d+\.\d+\n$/,
    );
  });

  it('runs end to end with the real readers on a tree of unrecognised model files', async () => {
    const dir = await tree({
      'models/mystery.pt': 'no reader claims this text',
      'README.md': '# hi',
    });
    const { io } = captureIo(dir);
    const code = await main(['scan', 'models', '--quiet'], io);
    expect([0, 10, 20]).toContain(code);
  });
});
