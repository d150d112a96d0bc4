#!/usr/bin/env node
// Entry point for the benchmarks: runs TypeScript sources through Backstage's Node transform.
//   node bench/run.js [scanner|...]   (or: yarn bench)
require('@backstage/cli/config/nodeTransform.cjs');
const which = process.argv[2] ?? 'scanner';
require(`./${which}.bench.ts`)
  .main(process.argv.slice(3))
  .catch(error => {
    console.error(error);
    process.exit(1);
  });
