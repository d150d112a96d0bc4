#!/usr/bin/env node
// @ts-check
// Bundles the CLI (src/cli/entry.ts and everything it imports) into one file, dist/mlgov.cjs.js, which
// the published bin/mlgov runs; run after `backstage-cli package build` (which empties dist/). One file
// instead of a few hundred modules (the scanner's, yaml's, spdx-*'s, cyclonedx's) halves the CPU a scan
// spends starting up, and esbuild keeps entry.ts's import() lazy, so `mlgov --version` evaluates next
// to nothing. Type checking is `yarn tsc`'s job; this only strips types.
// web-tree-sitter and tree-sitter-python stay outside: they find their .wasm files next to themselves.
// The large dependencies that only some scans load (zod and yaml for --policy, the AWS SDK for s3://,
// cyclonedx-library for a BOM) stay outside too: bundled, they were two thirds of the file (2 MB of
// 3 MB) that every run reads and compiles, `--version` included; as declared dependencies they are
// installed next to the package and resolved only when a scan needs them.
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
/** Loaded on demand only; each must be in package.json `dependencies` (checked below). */
const LAZY_DEPENDENCIES = [
  'zod',
  'yaml',
  '@aws-sdk/client-s3',
  '@cyclonedx/cyclonedx-library',
];
const declared = require(path.join(root, 'package.json')).dependencies ?? {};
for (const name of LAZY_DEPENDENCIES) {
  if (!declared[name])
    throw new Error(
      `${name} is left out of the bundle but is not a dependency`,
    );
}
esbuild.buildSync({
  entryPoints: [path.join(root, 'src', 'cli', 'entry.ts')],
  outfile: path.join(root, 'dist', 'mlgov.cjs.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  // libxmljs2 and xmlbuilder2 are optional plugins @cyclonedx/cyclonedx-library probes for in a try/catch; not installed.
  external: [
    'web-tree-sitter',
    'tree-sitter-python',
    'libxmljs2',
    'xmlbuilder2',
    ...LAZY_DEPENDENCIES,
  ],
  minifySyntax: true,
  minifyWhitespace: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
});
