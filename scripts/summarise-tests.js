// Adds up the jest and Playwright result lines of a test run into one closing line
// ("N passed, N failed, N skipped"), so CI logs end with a single count.
const fs = require('node:fs');

const log = fs
  .readFileSync(process.argv[2], 'utf8')
  .replace(/\x1b\[[0-9;]*m/g, '');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const line of log.split('\n')) {
  const jest = line.match(/^Tests:\s+(.*)total/);
  if (jest) {
    passed += Number(jest[1].match(/(\d+) passed/)?.[1] ?? 0);
    failed += Number(jest[1].match(/(\d+) failed/)?.[1] ?? 0);
    skipped += Number(jest[1].match(/(\d+) skipped/)?.[1] ?? 0);
    continue;
  }
  const pw = line.match(/^\s+(\d+) (passed|failed|skipped|flaky)\b.*\(\d/);
  if (pw) {
    const n = Number(pw[1]);
    if (pw[2] === 'passed' || pw[2] === 'flaky') passed += n;
    else if (pw[2] === 'failed') failed += n;
    else skipped += n;
  }
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
