#!/usr/bin/env node
// @ts-check
// Applies the toolchain pins to a new create-app app so it installs on the Backstage release the
// repository targets, on a machine like ours (docs/development.md, "Adoption test", says why each):
//   node pin-app.js <app> <release manifest> <our root package.json> [<name>=<tarball>...]
const fs = require('node:fs');
const path = require('node:path');

const [appDir, manifestFile, ourPackageFile, ...tarballs] =
  process.argv.slice(2);
const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
const ours = JSON.parse(fs.readFileSync(ourPackageFile, 'utf8'));

// .yarnrc.yml: our Yarn release (4.13.0 crashes when a registry request is retried, berry #7245);
// no pre-approval of @backstage/* past the age gate (it pulls the next release line's packages, e.g.
// plugin-catalog 2.1.0 with catalog-react 4 and a signals-backend that needs a newer backend-defaults);
// a 30-day age gate because the mirror's newest releases are its least complete.
const yarnrc = path.join(appDir, '.yarnrc.yml');
const lines = fs
  .readFileSync(yarnrc, 'utf8')
  .split('\n')
  .filter(
    line =>
      !/^npmPreapprovedPackages:|^\s+- '@backstage\/\*'|^npmMinimalAgeGate:|^yarnPath:/.test(
        line,
      ),
  );
lines.push(
  'npmMinimalAgeGate: 30d',
  'yarnPath: .yarn/releases/yarn-4.18.1.cjs',
  '',
);
fs.writeFileSync(yarnrc, lines.join('\n'));
fs.rmSync(path.join(appDir, '.yarn', 'releases', 'yarn-4.13.0.cjs'), {
  force: true,
});

const pkgFile = path.join(appDir, 'package.json');
const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
pkg.packageManager = 'yarn@4.18.1';
pkg.resolutions = {
  ...pkg.resolutions,
  // The platform packages, got and better-sqlite3 pins this repository needs too (TOOLCHAIN):
  // versions the mirror has, a got without a missing patch file, better-sqlite3 13 for Node 24.
  ...Object.fromEntries(
    Object.entries(ours.resolutions).filter(
      ([name]) => !name.startsWith('@types/'),
    ),
  ),
  '@swc/core': '1.16.20',
  // Every @backstage/* package on the release line: its version or a later patch, never the next
  // minor (what the release's create-app would have installed on its release day).
  ...Object.fromEntries(manifest.packages.map(p => [p.name, `~${p.version}`])),
  // Our unpublished packages: the tarballs stand in for the registry.
  ...Object.fromEntries(
    tarballs
      .map(arg => arg.split('='))
      .map(([name, file]) => [name, `file:${file}`]),
  ),
};
pkg.dependenciesMeta = { ...pkg.dependenciesMeta, keytar: { built: false } };
fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
