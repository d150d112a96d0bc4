import { Scanner } from './Scanner';
import { DEFAULT_READERS } from './defaults';
import { buildZip } from '../formats/archive/testing/zipWriter';

const benignPickle = Buffer.from('\x80\x02}q\x00.', 'latin1');
const systemCall = Buffer.from(
  '\x80\x02cposix\nsystem\nq\x00X\x04\x00\x00\x00true\x85R.',
  'latin1',
);

describe('tail sniffing', () => {
  it('also opens a zip appended to a pickle, as zip-aware loaders would', async () => {
    // Deflated, so only a zip reader can see the payload.
    const polyglot = buildZip({
      prefix: benignPickle,
      entries: [{ name: 'payload.pkl', data: systemCall, method: 'deflate' }],
    });
    const result = await new Scanner({ readers: DEFAULT_READERS }).scanBytes(
      polyglot,
      'model.pkl',
    );

    const exec = result.findings.filter(f => f.ruleId === 'PICKLE-EXEC');
    expect(exec.map(f => [f.location.entry, f.evidence.symbol])).toEqual([
      [['payload.pkl'], 'os.system'],
    ]);
    expect(result.findings.map(f => f.ruleId)).toContain('ARCHIVE-POLYGLOT');
    expect(result.files[0].formats).toEqual(
      expect.arrayContaining(['pickle', 'zip']),
    );
  });

  it('does not run the zip reader twice on an ordinary zip', async () => {
    const zip = buildZip({
      entries: [{ name: 'payload.pkl', data: systemCall }],
    });
    const result = await new Scanner({ readers: DEFAULT_READERS }).scanBytes(
      zip,
      'model.zip',
    );
    expect(
      result.findings.filter(f => f.ruleId === 'PICKLE-EXEC'),
    ).toHaveLength(1);
    expect(result.files[0].formats.filter(f => f === 'zip')).toHaveLength(1);
  });
});
