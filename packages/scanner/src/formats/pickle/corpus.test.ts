/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*", "fc.assert"] }] */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  blocking,
  scanWithPickleReaders,
  summarise,
  symbolsOf,
} from './testing/scanForTest';

const fixture = (...parts: string[]) =>
  readFileSync(join(__dirname, '__fixtures__', ...parts));

/** Real files from PyTorch, scikit-learn and pickle itself, and hand-built payloads (see the corpus manifest). */
describe('pickle corpus', () => {
  const malicious: Array<[file: string, symbol: string]> = [
    ['os_system_p0.pkl', 'os.system'],
    ['os_system_p1.pkl', 'os.system'],
    ['os_system_p2.pkl', 'os.system'],
    ['os_system_p3.pkl', 'os.system'],
    ['os_system_p4.pkl', 'os.system'],
    ['os_system_p5.pkl', 'os.system'],
    ['builtins_exec.pkl', 'builtins.exec'],
    ['builtins_eval.pkl', 'builtins.eval'],
    ['subprocess_Popen.pkl', 'subprocess.Popen'],
    ['posix_system.pkl', 'os.system'],
    ['nt_system.pkl', 'os.system'],
    ['socket_create_connection.pkl', 'socket.create_connection'],
    ['webbrowser_open.pkl', 'webbrowser.open'],
    ['runpy_run_path.pkl', 'runpy.run_path'],
    ['shutil_rmtree.pkl', 'shutil.rmtree'],
    ['importlib_import_module.pkl', 'importlib.import_module'],
    ['pickle_module_dumps.pickle', 'os.system'],
    ['truncated.pkl', 'os.system'],
  ];

  it('covers every malicious fixture', () => {
    expect(
      readdirSync(join(__dirname, '__fixtures__', 'malicious')).sort(),
    ).toEqual(malicious.map(([file]) => file).sort());
  });

  it.each(malicious)('%s is blocked and names %s', async (file, symbol) => {
    const result = await scanWithPickleReaders(
      fixture('malicious', file),
      file,
    );
    expect(blocking(result).length).toBeGreaterThan(0);
    const named = [
      ...symbolsOf(result, 'PICKLE-EXEC'),
      ...symbolsOf(result, 'PICKLE-GLOBAL-IMPORT'),
    ];
    expect(named).toContain(symbol);
  });

  it('reports the call itself as PICKLE-EXEC with the opcode, offset and argument', async () => {
    const result = await scanWithPickleReaders(
      fixture('malicious', 'os_system_p0.pkl'),
      'os_system_p0.pkl',
    );
    const exec = result.findings.find(
      finding => finding.ruleId === 'PICKLE-EXEC',
    );
    expect(exec).toMatchObject({
      severity: 'critical',
      evidence: { opcode: 'REDUCE', symbol: 'os.system' },
    });
    expect(exec?.message).toContain("'true'");
    expect(exec?.location.offset).toBe(19);
  });

  it('reports the truncated tail after the call as PICKLE-STRUCT too', async () => {
    const result = await scanWithPickleReaders(
      fixture('malicious', 'truncated.pkl'),
      'truncated.pkl',
    );
    expect(result.findings.map(finding => finding.ruleId)).toEqual(
      expect.arrayContaining(['PICKLE-STRUCT', 'PICKLE-GLOBAL-IMPORT']),
    );
  });

  const benign = readdirSync(join(__dirname, '__fixtures__', 'benign'));
  it.each(benign)('benign %s gets nothing above info', async file => {
    const result = await scanWithPickleReaders(fixture('benign', file), file);
    expect(summarise(result).filter(line => !line.startsWith('info'))).toEqual(
      [],
    );
    expect(result.findings.map(finding => finding.ruleId)).toContain(
      'PICKLE-FORMAT',
    );
  });

  it('labels the PyTorch legacy file and reads its five pickles only', async () => {
    const result = await scanWithPickleReaders(
      fixture('benign', 'torch_legacy.bin'),
      'torch_legacy.bin',
    );
    expect(result.files[0].formats).toContain('pytorch-legacy');
    expect(
      result.findings.find(finding => finding.ruleId === 'PICKLE-FORMAT')
        ?.evidence.streams,
    ).toBe(5);
    expect(result.components).toEqual([
      expect.objectContaining({
        type: 'machine-learning-model',
        name: 'torch_legacy.bin',
        properties: expect.objectContaining({ format: 'pytorch-legacy' }),
      }),
    ]);
  });
});
