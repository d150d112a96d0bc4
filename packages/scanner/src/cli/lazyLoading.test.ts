import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from './testing';

/**
 * The start-up budget of `mlgov scan <small file>` (docs/benchmarks.md, CLI start-up) depends on the
 * heavy libraries loading only when a scan needs them. Each is replaced by a module that throws when
 * evaluated, then a default scan of a local folder with the real readers and analyzers runs in a fresh
 * module registry: importing one of them at the top of a module on the scan path fails this test.
 */
const LOADED_ON_DEMAND = [
  'zod', // policy schema: --policy
  'yaml', // policy file, model cards, configs
  '@aws-sdk/client-s3', // s3://
  '@cyclonedx/cyclonedx-library', // --cyclonedx
  'node:http', // remote sources and --report-to
  'node:https',
  '@sigstore/bundle', // a model.sig, or require_signature
  '@sigstore/verify',
];

/** Needed by Python source only: a scan of model files alone must not start the WebAssembly parser. */
const PYTHON_PARSER = 'web-tree-sitter';

function scanWithTripwires(
  argv: string[],
  cwd: string,
  tripwires: readonly string[] = LOADED_ON_DEMAND,
) {
  const loaded: string[] = [];
  let done!: Promise<{ code: number; stdout: string; stderr: string }>;
  jest.isolateModules(() => {
    for (const name of tripwires) {
      jest.doMock(name, () => {
        loaded.push(name);
        throw new Error(`${name} was loaded by a scan that does not need it`);
      });
    }
    const { main } = require('./main') as typeof import('./main');
    const { io, output } = captureIo(cwd);
    done = main(argv, io).then(code => ({ code, ...output }));
  });
  return done.then(result => ({ ...result, loaded }));
}

describe('mlgov scan start-up', () => {
  afterEach(() => {
    for (const name of [...LOADED_ON_DEMAND, PYTHON_PARSER])
      jest.dontMock(name);
  });

  it('scans model files without loading the Python parser', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlgov-lazy-'));
    // A benign pickle (an empty dict) and a safetensors header: readers only, no source analysis.
    await writeFile(
      join(dir, 'model.pkl'),
      Buffer.from('\x80\x02}q\x00.', 'latin1'),
    );
    const header = Buffer.from('{"__metadata__":{}}');
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(header.length));
    await writeFile(
      join(dir, 'model.safetensors'),
      Buffer.concat([length, header]),
    );
    const { code, stderr, loaded } = await scanWithTripwires(
      ['scan', '.', '--format', 'json'],
      dir,
      [...LOADED_ON_DEMAND, PYTHON_PARSER],
    );
    expect(stderr).toBe('');
    expect(loaded).toEqual([]);
    expect(code).not.toBe(3);
  });

  it('loads the Python parser when there is Python to read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlgov-lazy-'));
    await writeFile(
      join(dir, 'load.py'),
      'import pickle\n\ndef load(path):\n    return pickle.load(open(path, "rb"))\n',
    );
    const { loaded } = await scanWithTripwires(
      ['scan', '.', '--format', 'json'],
      dir,
      [PYTHON_PARSER],
    );
    expect(loaded).toEqual([PYTHON_PARSER]);
  });

  it('scans a local folder without loading the policy parser, remote sources, HTTP or the BOM library', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlgov-lazy-'));
    await writeFile(
      join(dir, 'train.py'),
      'import json\n\ndef load(path):\n    with open(path) as f:\n        return json.load(f)\n',
    );
    const { code, stdout, stderr, loaded } = await scanWithTripwires(
      ['scan', '.', '--format', 'json'],
      dir,
    );
    expect(stderr).toBe('');
    expect(loaded).toEqual([]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).decision).toBe('PASS');
  });

  it('is a real tripwire: a scan that writes a CycloneDX BOM does load the BOM library', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlgov-lazy-'));
    await writeFile(join(dir, 'train.py'), 'import json\n');
    const { code, stderr, loaded } = await scanWithTripwires(
      ['scan', '.', '--cyclonedx', 'bom.json'],
      dir,
    );
    expect(loaded).toContain('@cyclonedx/cyclonedx-library');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/internal error|cannot write|was loaded/);
  });
});
