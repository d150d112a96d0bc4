#!/usr/bin/env node
// @ts-check
// Bundles the CLI (src/cli/entry.ts and everything it imports) into one file, dist/mlgov.cjs.js, which
// the published bin/mlgov runs; run after `backstage-cli package build` (which empties dist/). One file
// instead of a few hundred modules (the scanner's, yaml's, spdx-*'s, cyclonedx's) halves the CPU a scan
// spends starting up, and esbuild keeps entry.ts's import() lazy, so `mlgov --version` evaluates next
// to nothing. Type checking is `yarn tsc`'s job; this only strips types.
// web-tree-sitter and tree-sitter-python stay outside: they find their .wasm files next to themselves.
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
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
  ],
  minifySyntax: true,
  minifyWhitespace: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
});
