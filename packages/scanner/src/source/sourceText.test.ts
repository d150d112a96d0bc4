import {
  decodingFor,
  findEncodingDeclaration,
  normaliseIdentifiers,
  prepareSource,
} from './sourceText';
import { fullwidth } from './testing/sourceProject';

const noBytes = () => Promise.reject(new Error('bytes not expected'));

describe('findEncodingDeclaration', () => {
  it('reads the declaration from line 1, or line 2 after a comment line, in every spelling CPython accepts', () => {
    expect(findEncodingDeclaration('# -*- coding: utf-7 -*-\nx\n')).toEqual({
      name: 'utf-7',
      line: 1,
      text: '# -*- coding: utf-7 -*-',
    });
    expect(
      findEncodingDeclaration(
        '#!/usr/bin/env python\n# vim: set fileencoding=cp037 :\n',
      )?.name,
    ).toBe('cp037');
    expect(findEncodingDeclaration('\n#coding=utf_16\n')?.line).toBe(2);
    expect(
      findEncodingDeclaration(`# ${'x'.repeat(100_000)}\r# coding: utf-7\r`)
        ?.line,
    ).toBe(2);
    // A byte-order mark before line 1 does not hide the declaration.
    expect(findEncodingDeclaration('\uFEFF# coding: utf-7\n')?.name).toBe(
      'utf-7',
    );
  });

  it('ignores what CPython ignores: a declaration after a line of code, on line 3, or outside a comment', () => {
    expect(findEncodingDeclaration('x = 1\n# coding: utf-7\n')).toBeUndefined();
    expect(
      findEncodingDeclaration('# a\n# b\n# coding: utf-7\n'),
    ).toBeUndefined();
    expect(findEncodingDeclaration('coding = "utf-7"\n')).toBeUndefined();
    expect(findEncodingDeclaration('import os\n')).toBeUndefined();
  });
});

describe('decodingFor', () => {
  it('decodes the UTF-8, ASCII and latin-1 families under their aliases and nothing else', () => {
    expect(
      ['UTF-8', 'utf8', 'utf-8-sig', 'utf_8', 'U8'].map(decodingFor),
    ).toEqual(['utf-8', 'utf-8', 'utf-8', 'utf-8', 'utf-8']);
    expect(['ascii', 'US-ASCII'].map(decodingFor)).toEqual(['ascii', 'ascii']);
    expect(
      [
        'latin-1',
        'Latin1',
        'ISO-8859-1',
        'iso8859_1',
        'latin-1-unix',
        'l1',
      ].map(decodingFor),
    ).toEqual(Array(6).fill('latin-1'));
    expect(['iso-8859-15', 'cp1252'].map(decodingFor)).toEqual([
      'iso-8859-15',
      'windows-1252',
    ]);
    expect(
      [
        'utf-7',
        'utf-16',
        'utf_32',
        'cp037',
        'shift_jis',
        'rot13',
        'punycode',
      ].map(decodingFor),
    ).toEqual(Array(7).fill(undefined));
  });
});

describe('normaliseIdentifiers', () => {
  it('reads identifiers in their NFKC form, as CPython does', () => {
    expect(
      normaliseIdentifiers(
        `import ${fullwidth('pickle')}\n${fullwidth('pickle')}.${fullwidth(
          'loads',
        )}(x)\n`,
      ),
    ).toBe('import pickle\npickle.loads(x)\n');
    // Mathematical bold letters are two UTF-16 units each and fold to one.
    expect(normaliseIdentifiers('𝐩𝐢𝐜𝐤𝐥𝐞.loads(x)')).toBe('pickle.loads(x)');
    // A ligature inside an otherwise ASCII name.
    expect(normaliseIdentifiers('from os import \uFB01nd_system')).toBe(
      'from os import find_system',
    );
  });

  it('leaves a run whose NFKC form has ASCII punctuation as written, so no string or comment moves', () => {
    // CPython: `f"＂＃"` is a two-character string and the call after it runs.
    const source = `s = f"＂＃"; ${fullwidth(
      'pickle',
    )}.loads(x)\nt = '＇' + ${fullwidth('os')}.name`;
    expect(normaliseIdentifiers(source)).toBe(
      `s = f"＂＃"; pickle.loads(x)\nt = '＇' + os.name`,
    );
    // Inside strings and comments runs are normalised too (the analysis can only over-read them).
    expect(
      normaliseIdentifiers(
        `# ${fullwidth('dill')}\nn = '${fullwidth('loads')}'`,
      ),
    ).toBe("# dill\nn = 'loads'");
  });

  it('skips the pass only when the prefilter matches neither the text nor its whole NFKC form', () => {
    const written = `# Kommentar（日本語）\nimport ${fullwidth('pickle')}\n`;
    expect(normaliseIdentifiers(written, /dill/)).toBe(written);
    expect(normaliseIdentifiers(written, /pickle/)).toBe(
      '# Kommentar（日本語）\nimport pickle\n',
    );
    expect(normaliseIdentifiers(written, /Kommentar/)).toBe(
      '# Kommentar（日本語）\nimport pickle\n',
    );
  });

  it('returns pure-ASCII text untouched (the fast path)', () => {
    const ascii = 'import pickle\npickle.loads(x)\n';
    expect(normaliseIdentifiers(ascii)).toBe(ascii);
  });

  it('stays linear on hostile input: long ASCII names, backslash runs, unterminated strings', () => {
    const hostile = [
      `${'a'.repeat(300_000)} ä`,
      `'''${'\\'.repeat(300_000)}`,
      `${"'".repeat(100_000)}ä`,
      `${'"\\'.repeat(100_000)}ä`,
    ];
    for (const text of hostile) {
      const started = Date.now();
      normaliseIdentifiers(text);
      expect(Date.now() - started).toBeLessThan(1_000);
    }
  });
});

describe('prepareSource', () => {
  it('drops a UTF-8 byte-order mark', async () => {
    expect(await prepareSource('\uFEFFimport os\n', noBytes)).toEqual({
      kind: 'text',
      text: 'import os\n',
      identifiersNormalised: false,
    });
  });

  it('decodes a declared latin-1 file from its bytes, then normalises its identifiers', async () => {
    // 0xAA is ª in latin-1, and NFKC folds ª to a: CPython runs `a.loads(x)`.
    const bytes = Buffer.from(
      '# coding: latin-1\nimport pickle as \xaa\n\xaa.loads(x)\n',
      'latin1',
    );
    expect(
      await prepareSource(bytes.toString('utf8'), async () => bytes),
    ).toEqual({
      kind: 'text',
      text: '# coding: latin-1\nimport pickle as a\na.loads(x)\n',
      identifiersNormalised: true,
    });
  });

  it('does not read the bytes of a latin-1 file that is plain ASCII', async () => {
    expect(
      (await prepareSource('# coding: latin-1\nimport os\n', noBytes)).kind,
    ).toBe('text');
  });

  it('refuses a codec it does not decode instead of reading the file as UTF-8', async () => {
    expect(
      await prepareSource('# -*- coding: utf-7 -*-\n+AGk-mport os\n', noBytes),
    ).toEqual({
      kind: 'undecodable',
      declaration: { name: 'utf-7', line: 1, text: '# -*- coding: utf-7 -*-' },
    });
  });
});
