import { fixture } from '../__fixtures__';
import { loadRequirementsFile, parseRequirementsText } from './requirementsTxt';

describe('parseRequirementsText', () => {
  const { result, includes } = parseRequirementsText(
    fixture('requirements.txt'),
    'requirements.txt',
  );
  const byName = new Map(result.requirements.map(r => [r.name ?? r.url, r]));

  it('reads index options with their lines', () => {
    expect(result.indexes.indexUrls).toEqual([
      { url: 'https://pypi.org/simple', line: 2, file: 'requirements.txt' },
    ]);
    expect(result.indexes.extraIndexUrls[0]).toMatchObject({
      url: 'https://pypi.acme.internal/simple',
      line: 3,
    });
  });

  it('returns -r and -c includes resolved against the including file', () => {
    expect(includes).toEqual([
      { path: 'requirements/base.txt', constraint: false, line: 4 },
      { path: 'constraints.txt', constraint: true, line: 5 },
    ]);
  });

  it('joins continuations, keeps hashes, the local version and the first line number', () => {
    expect(byName.get('torch')).toMatchObject({
      pinned: '2.5.1+cu121',
      line: 7,
      hashes: [expect.stringMatching(/^sha256:3f7c/)],
    });
  });

  it('parses extras, ranges and markers', () => {
    expect(byName.get('transformers')).toMatchObject({
      extras: ['torch'],
      specifier: '>=4.40,<5',
      pinned: undefined,
      marker: 'python_version >= "3.10"',
    });
    expect(byName.get('scikit-learn')?.pinned).toBe('1.5.2');
  });

  it('reads editable VCS requirements and wheel URLs, naming them from #egg= or the file name', () => {
    expect(byName.get('tokenizer-utils')).toMatchObject({
      editable: true,
      urlPinnedToCommit: false,
      url: expect.stringContaining('@main'),
    });
    expect(byName.get('acme-metrics')).toMatchObject({
      url: expect.stringContaining('.whl'),
    });
  });

  it('reports an unresolvable ${VAR} as a low parse problem instead of guessing', () => {
    expect(byName.get('numpy')).toMatchObject({
      specifier: '==${NUMPY_VERSION}',
      line: 14,
    });
    expect(byName.get('numpy')?.pinned).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({
        line: 14,
        severity: 'low',
        message: expect.stringContaining('environment variable'),
      }),
    ]);
  });

  it('handles inline forms of options and comments that are not URL fragments', () => {
    const parsed = parseRequirementsText(
      [
        '--requirement=a.txt',
        '-rb.txt',
        '--trusted-host=pypi.acme.internal --no-index',
        'foo==1 # pinned',
        'git+https://x/y.git@0123456789abcdef0123456789abcdef01234567#egg=y',
        '--bogus',
      ].join('\n'),
      'sub/req.txt',
    );
    expect(parsed.includes.map(i => i.path)).toEqual([
      'sub/a.txt',
      'sub/b.txt',
    ]);
    expect(parsed.result.indexes).toMatchObject({
      noIndex: true,
      trustedHosts: [{ host: 'pypi.acme.internal', line: 3 }],
    });
    expect(
      parsed.result.requirements.map(r => [
        r.name,
        r.pinned ?? r.urlPinnedToCommit,
      ]),
    ).toEqual([
      ['foo', '1'],
      ['y', true],
    ]);
    expect(parsed.result.problems).toEqual([
      expect.objectContaining({ message: 'unknown option --bogus', line: 6 }),
    ]);
  });

  it('leaves local includes to the scan tree to refuse, and reports remote includes as problems', () => {
    const parsed = parseRequirementsText(
      '-r ../../etc/passwd\n-c /etc/shadow\n-r https://evil.example/r.txt\n',
      'sub/requirements.txt',
    );
    // Kept as written (normalised), so the scan tree sees that they climb out or are absolute.
    expect(parsed.includes.map(i => [i.path, i.constraint])).toEqual([
      ['../etc/passwd', false],
      ['/etc/shadow', true],
    ]);
    expect(parsed.result.problems.map(p => p.line)).toEqual([3]);
  });
});

describe('loadRequirementsFile', () => {
  const files: Record<string, string> = {
    'requirements.txt': fixture('requirements.txt'),
    'requirements/base.txt': fixture('requirements/base.txt'),
    'constraints.txt': fixture('constraints.txt'),
  };
  const readText = async (path: string) => {
    if (!(path in files)) throw new Error('ENOENT');
    return files[path];
  };

  it('merges included files, marking constraint lines', async () => {
    const result = await loadRequirementsFile('requirements.txt', readText);
    expect(result.includedFiles).toEqual([
      'requirements/base.txt',
      'constraints.txt',
    ]);
    const joblib = result.requirements.find(r => r.name === 'joblib');
    expect(joblib).toMatchObject({
      file: 'requirements/base.txt',
      line: 2,
      pinned: '1.4.2',
    });
    expect(
      result.requirements.find(
        r => r.file === 'constraints.txt' && r.name === 'transformers',
      )?.constraintOnly,
    ).toBe(true);
  });

  it('stops at include cycles and missing files with problems', async () => {
    const cyclic: Record<string, string> = {
      'a.txt': '-r b.txt\nfoo==1',
      'b.txt': '-r a.txt\n-r missing.txt',
    };
    const result = await loadRequirementsFile('a.txt', async p => {
      if (!(p in cyclic)) throw new Error('ENOENT');
      return cyclic[p];
    });
    expect(result.requirements.map(r => r.name)).toEqual(['foo']);
    expect(result.problems.map(p => p.message)).toEqual([
      expect.stringContaining('include cycle: a.txt → b.txt → a.txt'),
      expect.stringContaining('cannot read missing.txt'),
    ]);
  });

  it('caps include depth', async () => {
    const result = await loadRequirementsFile(
      'r0.txt',
      async p => `-r r${Number(/\d+/.exec(p)![0]) + 1}.txt`,
      { maxDepth: 3 },
    );
    expect(result.problems).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('deeper than 3'),
      }),
    ]);
  });
});
