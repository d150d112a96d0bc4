#!/usr/bin/env node
// Writes test/release-manifests/<version>.json: the @backstage/* package versions of one Backstage
// release, which test/src/releaseLine.test.ts holds every workspace's @backstage/* ranges to.
//
//   node scripts/release-manifest.js            (version from backstage.json)
//   node scripts/release-manifest.js 1.56.0
//
// 1. The official manifest, https://versions.backstage.io/v1/releases/<version>/manifest.json (what
//    `backstage-cli versions:bump --release` and @backstage/release-manifests read), when reachable.
// 2. Otherwise (this machine only reaches the npm registry) it derives the same list from the registry:
//    the versions @backstage/create-app of that release writes into a new app (its dist/lib/versions),
//    plus the @backstage/* packages those depend on, at the versions they name, plus, for a package this
//    repository uses that none of them names, its newest version whose own dependencies the release
//    satisfies.
// Packages this repository uses that neither source knows make the script fail, so a new dependency
// cannot slip past the release-line test.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const semver = require('semver');

const root = path.resolve(__dirname, '..');
const release =
  process.argv[2] ??
  JSON.parse(fs.readFileSync(path.join(root, 'backstage.json'), 'utf8'))
    .version;
const out = path.join(root, 'test', 'release-manifests', `${release}.json`);

function npmJson(...args) {
  const text = execFileSync('npm', [...args, '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return text.trim() ? JSON.parse(text) : {}; // npm prints nothing when the fields asked for are absent
}

function usedBackstagePackages() {
  const names = new Set();
  for (const dir of [
    '.',
    ...['packages', 'plugins'].flatMap(d =>
      fs.readdirSync(path.join(root, d)).map(n => `${d}/${n}`),
    ),
    'test',
  ]) {
    const file = path.join(root, dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const field of [
      'dependencies',
      'devDependencies',
      'peerDependencies',
    ]) {
      for (const name of Object.keys(pkg[field] ?? {}))
        if (name.startsWith('@backstage/')) names.add(name);
    }
  }
  return [...names].sort();
}

async function official() {
  try {
    const res = await fetch(
      `https://versions.backstage.io/v1/releases/${release}/manifest.json`,
      {
        signal: AbortSignal.timeout(10_000),
      },
    );
    if (!res.ok) return undefined;
    return { ...(await res.json()), source: 'https://versions.backstage.io' };
  } catch {
    return undefined;
  }
}

function createAppVersions(tmp) {
  // The create-app release whose template is this Backstage release (its root version).
  const times = npmJson('view', '@backstage/create-app', 'time');
  const stable = Object.keys(times).filter(
    v => semver.valid(v) && !semver.prerelease(v),
  );
  for (const createApp of stable.sort(semver.rcompare)) {
    execFileSync(
      'npm',
      ['pack', `@backstage/create-app@${createApp}`, '--silent'],
      { cwd: tmp, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const tgz = fs.readdirSync(tmp).find(f => f.endsWith('.tgz'));
    execFileSync('tar', ['xzf', tgz], { cwd: tmp });
    const { packageVersions } = require(path.join(
      tmp,
      'package',
      'dist',
      'lib',
      'versions.cjs.js',
    ));
    fs.rmSync(path.join(tmp, 'package'), { recursive: true, force: true });
    fs.rmSync(path.join(tmp, tgz));
    if (packageVersions.root === release) {
      const versions = Object.fromEntries(
        Object.entries(packageVersions).filter(([n]) =>
          n.startsWith('@backstage/'),
        ),
      );
      return { createApp, versions };
    }
    if (semver.lt(packageVersions.root, release)) break;
  }
  throw new Error(
    `no @backstage/create-app release creates Backstage ${release}`,
  );
}

function backstageDeps(name, version) {
  const info = npmJson(
    'view',
    `${name}@${version}`,
    'dependencies',
    'peerDependencies',
  );
  const deps = {
    ...(info.dependencies ?? {}),
    ...(info.peerDependencies ?? {}),
  };
  if (!info.dependencies && !info.peerDependencies) Object.assign(deps, info); // npm flattens one field
  return Object.entries(deps).filter(
    ([n, r]) => n.startsWith('@backstage/') && semver.validRange(r),
  );
}

// Registry publish times are not reliable on mirrors, so versions come from dependency ranges: Backstage's
// release tooling writes each package's @backstage/* dependencies at that release's versions.
function derived() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgov-manifest-'));
  try {
    const { createApp, versions } = createAppVersions(tmp);
    const used = new Set(usedBackstagePackages());
    const expanded = new Set();
    let grew = true;
    while (grew) {
      grew = false;
      for (const name of [...used].filter(
        n => versions[n] && !expanded.has(n),
      )) {
        expanded.add(name);
        for (const [dep, range] of backstageDeps(name, versions[name])) {
          if (!versions[dep]) {
            versions[dep] = semver.minVersion(range).version;
            grew = true;
          }
        }
      }
    }
    // Used packages no release package depends on (dev-utils, auth provider modules): the newest version
    // whose own @backstage/* dependencies this release satisfies.
    for (const name of [...used].filter(n => !versions[n])) {
      const all = Object.keys(npmJson('view', name, 'time')).filter(
        v => semver.valid(v) && !semver.prerelease(v),
      );
      for (const candidate of all.sort(semver.rcompare)) {
        const deps = backstageDeps(name, candidate);
        if (
          deps.every(
            ([dep, range]) =>
              !versions[dep] || semver.satisfies(versions[dep], range),
          )
        ) {
          versions[name] = candidate;
          break;
        }
      }
    }
    return {
      releaseVersion: release,
      source: `derived by scripts/release-manifest.js from @backstage/create-app@${createApp} and the dependency ranges of its packages`,
      packages: Object.keys(versions)
        .sort()
        .map(name => ({ name, version: versions[name] })),
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

(async () => {
  const manifest = (await official()) ?? derived();
  const known = new Set(manifest.packages.map(p => p.name));
  const missing = usedBackstagePackages().filter(n => !known.has(n));
  if (missing.length)
    throw new Error(`not in the ${release} manifest: ${missing.join(', ')}`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(
    `wrote ${path.relative(root, out)} (${manifest.packages.length} packages, ${
      manifest.source
    })`,
  );
})().catch(error => {
  console.error(`release-manifest: ${error.message}`);
  process.exitCode = 1;
});
