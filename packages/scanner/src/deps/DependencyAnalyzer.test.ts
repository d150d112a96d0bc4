import { fixture } from './__fixtures__';
import type { Finding } from '../model/finding';
import { scanProject } from './testing';

const by = (findings: Finding[], ruleId: string) =>
  findings.filter(f => f.ruleId === ruleId);

describe('DependencyAnalyzer through the engine', () => {
  it('publishes FACT_DEPENDENCIES and BOM components for a uv project', async () => {
    const { facts, result } = await scanProject({
      'uv.lock': fixture('uv.lock'),
      'pyproject.toml':
        '[project]\nname = "churn-model"\ndependencies = ["scikit-learn>=1.5", "torch>=2.4", "transformers[torch]>=4.44"]\n',
    });
    const joblib = facts.packages.find(p => p.name === 'joblib');
    expect(joblib).toEqual({
      name: 'joblib',
      version: '1.4.2',
      direct: false,
      paths: [['churn-model', 'scikit-learn', 'joblib']],
      declaredIn: ['uv.lock'],
      license: undefined,
    });
    expect(facts.packages.find(p => p.name === 'torch')).toMatchObject({
      version: '2.5.1+cu121',
      direct: true,
    });
    expect(result.components.find(c => c.name === 'joblib')).toMatchObject({
      type: 'library',
      purl: 'pkg:pypi/joblib@1.4.2',
      scope: 'transitive',
      dependencyPath: ['churn-model', 'scikit-learn', 'joblib'],
    });
    expect(result.components.find(c => c.name === 'torch')?.purl).toBe(
      'pkg:pypi/torch@2.5.1%2Bcu121',
    );
  });

  it("grades risky serialisers: scikit-learn's joblib is info with the reason, a direct dill is medium", async () => {
    const { findings } = await scanProject({
      'uv.lock': fixture('uv.lock'),
      'setup.py': fixture('setup.py'),
    });
    const risky = by(findings, 'DEP-RISKY-SERIALIZATION');
    expect(risky.find(f => f.evidence.package === 'joblib')).toMatchObject({
      severity: 'info',
      message: expect.stringContaining('known-safe use'),
    });
    expect(risky.find(f => f.evidence.package === 'dill')).toMatchObject({
      severity: 'medium',
      location: { path: 'setup.py', line: 9 },
    });
  });

  it('lets the policy extend the serialisation allowlist, with a reason', async () => {
    const options = {
      dependencies: {
        serializationAllowlist: [
          {
            package: 'dill',
            reason: 'snapshots are written and read by our own job only',
          },
          { package: 'joblib' },
        ],
      },
    };
    const { findings } = await scanProject(
      { 'requirements.txt': 'dill==0.3.8\n' },
      options,
    );
    expect(by(findings, 'DEP-RISKY-SERIALIZATION')[0]).toMatchObject({
      severity: 'info',
      message: expect.stringContaining('our own job'),
    });
    expect(by(findings, 'DEP-PARSE-ERROR')[0]).toMatchObject({
      severity: 'low',
      message: expect.stringContaining('needs a package and a reason'),
    });
  });

  it('reports a transitive risky serialiser outside the allowlist as low', async () => {
    const { findings } = await scanProject({
      'pdm.lock': fixture('pdm.lock'),
      'pyproject.toml':
        '[project]\nname = "x"\ndependencies = ["huggingface-hub", "multiprocess"]\n',
    });
    // dill comes through multiprocess only: allowlisted. (datasets is not a dependency of this project.)
    expect(by(findings, 'DEP-RISKY-SERIALIZATION')).toEqual([
      expect.objectContaining({ severity: 'info' }),
    ]);
    const { findings: other } = await scanProject({
      'requirements.txt': 'mlflow-lite==1.0\n',
      'venv/lib/python3.11/site-packages/mlflow_lite-1.0.dist-info/METADATA':
        'Name: mlflow-lite\nVersion: 1.0\nRequires-Dist: cloudpickle\n',
    });
    expect(by(other, 'DEP-RISKY-SERIALIZATION')).toEqual([
      expect.objectContaining({
        severity: 'low',
        evidence: expect.objectContaining({
          dependencyPath: ['app', 'mlflow-lite', 'cloudpickle'],
        }),
      }),
    ]);
  });

  it('grades torch by the locked version, including local labels', async () => {
    const { findings } = await scanProject({ 'uv.lock': fixture('uv.lock') });
    expect(by(findings, 'DEP-TORCH-LOAD-VULNERABLE')).toEqual([
      expect.objectContaining({
        severity: 'high',
        evidence: expect.objectContaining({
          version: '2.5.1+cu121',
          advisories: ['CVE-2025-32434', 'CVE-2026-24747'],
          fixedIn: '2.10.0',
        }),
      }),
    ]);
    const patched = await scanProject({
      'requirements.txt': 'torch==2.10.0\n',
    });
    expect(by(patched.findings, 'DEP-TORCH-LOAD-VULNERABLE')).toEqual([]);
    const medium = await scanProject({ 'requirements.txt': 'torch==2.7.1\n' });
    expect(by(medium.findings, 'DEP-TORCH-LOAD-VULNERABLE')[0]).toMatchObject({
      severity: 'medium',
      evidence: expect.objectContaining({ advisories: ['CVE-2026-24747'] }),
    });
  });

  it('reports an unpinned torch range that admits vulnerable versions at medium at most', async () => {
    const { findings } = await scanProject({
      'pyproject.toml':
        '[project]\nname = "x"\ndependencies = ["torch>=2.0", "keras>=3.15.0"]\n',
    });
    expect(by(findings, 'DEP-TORCH-LOAD-VULNERABLE')[0]).toMatchObject({
      severity: 'medium',
      location: { path: 'pyproject.toml', line: 3 },
    });
    expect(by(findings, 'DEP-KERAS-SAFE-MODE-BYPASS')).toEqual([]);
  });

  it('grades keras safe_mode bypasses by version', async () => {
    const { findings } = await scanProject({
      'poetry.lock': fixture('poetry.lock'),
    });
    expect(by(findings, 'DEP-KERAS-SAFE-MODE-BYPASS')[0]).toMatchObject({
      severity: 'high',
      evidence: expect.objectContaining({
        advisories: [
          'CVE-2025-1550',
          'CVE-2025-8747',
          'CVE-2025-9906',
          'CVE-2025-9905',
          'CVE-2025-12058',
          'CVE-2025-12060',
          'CVE-2026-1462',
          'CVE-2026-12570',
        ],
        fixedIn: '3.15.0',
      }),
    });
  });

  it('catches typosquats of popular ML packages but not the real names or known neighbours', async () => {
    const { findings } = await scanProject({
      'requirements.txt':
        'tensorfiow==2.12.0\nscikitlearn==1.0\nnumpy==2.1.2\nscapy==2.6.0\ntorchx==0.7.0\ntransfomers==4.0\nhuggingface-hubb==0.1\n',
    });
    const squats = by(findings, 'DEP-TYPOSQUAT').map(f => [
      f.evidence.package,
      f.evidence.imitates,
      f.evidence.technique,
      f.severity,
    ]);
    expect(squats).toEqual([
      ['tensorfiow', 'tensorflow', 'homoglyph', 'high'],
      ['scikitlearn', 'scikit-learn', 'separator', 'high'],
      ['transfomers', 'transformers', 'edit-distance-1', 'high'],
      ['huggingface-hubb', 'huggingface-hub', 'edit-distance-1', 'high'],
    ]);
  });

  it('reports dependency confusion: internal names next to --extra-index-url are high, unhashed files medium', async () => {
    const options = { dependencies: { internalPackagePrefixes: ['acme-'] } };
    const { findings } = await scanProject(
      {
        'requirements.txt': fixture('requirements.txt'),
        'requirements/base.txt': fixture('requirements/base.txt'),
        'constraints.txt': fixture('constraints.txt'),
      },
      options,
    );
    const confusion = by(findings, 'DEP-CONFUSION');
    expect(
      confusion.find(f => f.evidence.package === 'acme-scoring'),
    ).toMatchObject({
      severity: 'high',
      location: { path: 'requirements.txt', line: 9 },
    });
    expect(
      confusion.find(f => f.message.includes('have no --hash')),
    ).toMatchObject({ severity: 'medium', location: { line: 3 } });
  });

  it('reports an internal package locked from the public index', async () => {
    const lock = `version = 1\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { virtual = "." }\ndependencies = [{ name = "acme-auth" }]\n\n[[package]]\nname = "acme-auth"\nversion = "99.0.0"\nsource = { registry = "https://pypi.org/simple" }\n`;
    const { findings } = await scanProject(
      { 'uv.lock': lock },
      { dependencies: { internalPackagePrefixes: ['acme_'] } },
    );
    expect(by(findings, 'DEP-CONFUSION')).toEqual([
      expect.objectContaining({
        severity: 'high',
        location: { path: 'uv.lock', line: 9 },
      }),
    ]);
  });

  it('reports unpinned, unhashed and mutable VCS requirements in files pip installs', async () => {
    const { findings } = await scanProject({
      'requirements.txt': fixture('requirements.txt'),
      'requirements/base.txt': fixture('requirements/base.txt'),
      'constraints.txt': fixture('constraints.txt'),
      'requirements-dev.in': 'pytest\n',
    });
    const unpinned = by(findings, 'DEP-UNPINNED').map(f => [
      f.evidence.package,
      f.severity,
    ]);
    expect(unpinned).toEqual([
      ['acme-scoring', 'low'],
      ['transformers', 'low'],
      ['tokenizer-utils', 'medium'],
      ['numpy', 'low'],
    ]);
    // torch carries a hash, so every other line in the same hash-checked set needs one.
    const unhashed = by(findings, 'DEP-UNHASHED').map(
      f => f.evidence.package ?? f.message,
    );
    expect(unhashed).toEqual(
      expect.arrayContaining([
        'acme-scoring',
        'transformers',
        'scikit-learn',
        'requests',
        'joblib',
      ]),
    );
    expect(unhashed).not.toContain('torch');
  });

  it('reports plain-HTTP indexes, trusted hosts and committed index passwords', async () => {
    const { findings } = await scanProject({
      'requirements.txt':
        '--extra-index-url http://user:s3cret@pypi.acme.internal/simple\n--trusted-host pypi.acme.internal\n-i https://__token__:${PYPI_TOKEN}@pypi.org/simple\nfoo==1 --hash=sha256:abcd\n',
    });
    expect(
      by(findings, 'DEP-INSECURE-INDEX').map(f => f.location.line),
    ).toEqual([1, 2]);
    expect(by(findings, 'DEP-INDEX-CREDENTIALS')).toEqual([
      expect.objectContaining({
        location: { path: 'requirements.txt', line: 1 },
        evidence: expect.objectContaining({ user: 'user' }),
      }),
    ]);
  });

  it('turns every parse problem into a DEP-PARSE-ERROR finding with its line', async () => {
    const { findings } = await scanProject({
      'poetry.lock': '[[package]]\nname = "x"\nversion = = "1"\n',
      'requirements.txt': 'foo[bar\n-r missing.txt\n',
    });
    expect(
      by(findings, 'DEP-PARSE-ERROR').map(f => [
        f.location.path,
        f.location.line,
      ]),
    ).toEqual([
      ['poetry.lock', 3],
      ['requirements.txt', 1],
      ['requirements.txt', 2],
    ]);
  });

  it('reads a virtualenv: versions, licences and import names', async () => {
    const base = 'venv/lib/python3.11/site-packages';
    const { facts, result } = await scanProject({
      'requirements.txt': 'torch\npyyaml\n',
      [`${base}/torch-2.5.1.dist-info/METADATA`]: fixture(
        `${base}/torch-2.5.1.dist-info/METADATA`,
      ),
      [`${base}/torch-2.5.1.dist-info/top_level.txt`]: fixture(
        `${base}/torch-2.5.1.dist-info/top_level.txt`,
      ),
      [`${base}/PyYAML-6.0.2.dist-info/METADATA`]: fixture(
        `${base}/PyYAML-6.0.2.dist-info/METADATA`,
      ),
      [`${base}/PyYAML-6.0.2.dist-info/RECORD`]: fixture(
        `${base}/PyYAML-6.0.2.dist-info/RECORD`,
      ),
      [`${base}/somepkg/setup.py`]: 'setup(install_requires=compute())',
    });
    expect(facts.importToDistribution).toMatchObject({
      torch: 'torch',
      functorch: 'torch',
      yaml: 'pyyaml',
    });
    expect(facts.packages.find(p => p.name === 'torch')).toMatchObject({
      version: '2.5.1',
      license: 'LicenseRef-bsd',
    });
    expect(facts.packages.find(p => p.name === 'pyyaml')?.license).toBe('MIT');
    expect(result.components.find(c => c.name === 'torch')).toMatchObject({
      license: 'LicenseRef-bsd',
      scope: 'direct',
    });
    // Build files inside site-packages are not the project's manifests.
    expect(
      result.findings.filter(f => f.location.path.includes('somepkg')),
    ).toEqual([]);
  });

  it('applies the licence policy to installed distributions', async () => {
    const base = '.venv/lib/python3.12/site-packages';
    const options = {
      licencePolicy: {
        licences: { 'agpl-3.0': 'deny' },
        missing: 'deny',
        categories: { 'weak-copyleft': 'review' },
      },
    };
    const { findings } = await scanProject(
      {
        [`${base}/ghostscript_wrap-1.0.dist-info/METADATA`]:
          'Metadata-Version: 2.4\nName: ghostscript-wrap\nVersion: 1.0\nLicense-Expression: AGPL-3.0-or-later\n',
        [`${base}/nolicence-0.1.dist-info/METADATA`]:
          'Metadata-Version: 2.1\nName: nolicence\nVersion: 0.1\nLicense: UNKNOWN\n',
        [`${base}/chardet-5.2.0.dist-info/METADATA`]:
          'Metadata-Version: 2.1\nName: chardet\nVersion: 5.2.0\nLicense: LGPL\nClassifier: License :: OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)\n',
        [`${base}/numpy-2.1.2.dist-info/METADATA`]:
          'Metadata-Version: 2.1\nName: numpy\nVersion: 2.1.2\nLicense: BSD-3-Clause\n',
      },
      options,
    );
    const licence = findings
      .filter(f => f.ruleId.startsWith('LICENCE-'))
      .map(f => [f.ruleId, f.evidence.package, f.severity]);
    expect(licence).toEqual([
      ['LICENCE-REVIEW', 'chardet', 'medium'],
      ['LICENCE-DENIED', 'ghostscript-wrap', 'high'],
      ['LICENCE-MISSING', 'nolicence', 'high'],
    ]);
  });

  it('does not mistake Object.prototype names for known packages or headers', async () => {
    const { findings, facts } = await scanProject({
      'requirements.txt': 'constructor==1.0\n',
      'venv/lib/python3.11/site-packages/x-1.dist-info/METADATA':
        'Name: x\nVersion: 1\nconstructor: y\n__proto__: z\nLicense: MIT\n',
    });
    expect(findings.filter(f => f.ruleId !== 'DEP-UNPINNED')).toEqual([]);
    expect(facts.packages.map(p => p.name).sort()).toEqual([
      'constructor',
      'x',
    ]);
  });

  it('publishes an empty fact when there is nothing to read', async () => {
    const { facts, findings } = await scanProject({
      'README.md': '# nothing here',
    });
    expect(facts).toEqual({ packages: [], importToDistribution: {} });
    expect(findings).toEqual([]);
  });
});
