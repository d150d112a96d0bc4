import fc from 'fast-check';
import { fixture } from '../__fixtures__';
import { parseRequirementsText } from './requirementsTxt';
import { parsePyproject } from './pyproject';
import { parseUvLock } from './uvLock';
import { parsePoetryLock } from './poetryLock';
import { parsePdmLock } from './pdmLock';
import { parsePylock } from './pylock';
import { parsePipfile, parsePipfileLock } from './pipfile';
import { parseCondaEnvironment } from './condaEnvironment';
import { parseSetupCfg } from './setupCfg';
import { parseSetupPy } from './setupPy';
import { parseInstalledDistribution } from './distInfo';
import { parsePep508 } from '../pep508';

const PARSERS: [string, (text: string, file: string) => unknown, string][] = [
  ['requirements', (t, f) => parseRequirementsText(t, f), 'requirements.txt'],
  ['pyproject', parsePyproject, 'uv.lock'],
  ['uv.lock', parseUvLock, 'uv.lock'],
  ['poetry.lock', parsePoetryLock, 'poetry.lock'],
  ['pdm.lock', parsePdmLock, 'pdm.lock'],
  ['pylock', parsePylock, 'pylock.toml'],
  ['Pipfile.lock', parsePipfileLock, 'Pipfile.lock'],
  ['Pipfile', parsePipfile, 'uv.lock'],
  ['environment.yml', parseCondaEnvironment, 'environment.yml'],
  ['setup.cfg', parseSetupCfg, 'setup.cfg'],
  ['setup.py', parseSetupPy, 'setup.py'],
  [
    'METADATA',
    (t, f) => parseInstalledDistribution(t, f, { record: t, topLevel: t }),
    'venv/lib/python3.11/site-packages/torch-2.5.1.dist-info/METADATA',
  ],
];

/** Arbitrary bytes decoded as UTF-8 (invalid sequences become U+FFFD), plus plain strings. */
const arbitraryText = fc.oneof(
  fc
    .uint8Array({ maxLength: 400 })
    .map(bytes => Buffer.from(bytes).toString('utf8')),
  fc.string({ maxLength: 400 }),
);

/** A fixture with random slices deleted, duplicated or replaced: near-valid input reaches deep code paths. */
function mutated(base: string) {
  return fc
    .array(
      fc.tuple(
        fc.nat(base.length),
        fc.nat(40),
        fc.oneof(
          fc.string(),
          fc.constantFrom(
            '"',
            '[',
            ']',
            '{',
            '=',
            '\n',
            '\\',
            '#',
            '-r x',
            '${X}',
            '[[package]]',
          ),
        ),
      ),
      { maxLength: 8 },
    )
    .map(edits =>
      edits.reduce(
        (text, [at, length, insert]) =>
          text.slice(0, at) + insert + text.slice(at + length),
        base,
      ),
    );
}

describe.each(PARSERS)('%s parser', (_name, parse, fixturePath) => {
  const base = fixture(fixturePath);

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(arbitraryText, text => {
        expect(() => parse(text, 'x')).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on mutated real files, and finishes quickly', () => {
    fc.assert(
      fc.property(mutated(base), text => {
        const started = Date.now();
        parse(text, 'x');
        expect(Date.now() - started).toBeLessThan(1000);
      }),
      { numRuns: 150 },
    );
  });
});

it('PEP 508 parser never throws', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), text => {
      expect(() => parsePep508(text)).not.toThrow();
    }),
    { numRuns: 500 },
  );
});
