import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { walkPickleStreams } from '../streams';
import { createBudget, type WalkEvents } from '../walker';
import { denseTupleFrames, denseTuplePickle } from './densePickle';

/**
 * Measurements for walkerSpeed.test.ts, run in a plain Node process: inside Jest's sandbox the
 * walker runs several times slower (its typed arrays come from another realm), which would measure
 * Jest. Prints one JSON line.
 */
const events: WalkEvents = {
  onGlobal: () => undefined,
  onCall: () => undefined,
  onBuild: () => undefined,
  onAnomaly: anomaly => {
    throw new Error(`unexpected anomaly ${anomaly.kind}`);
  },
};

/**
 * Best CPU milliseconds of `runs` runs. CPU time, not wall time: on a loaded machine a long run is
 * preempted where a short one is not, which wall time would charge to the longer contender.
 */
function bestOf(runs: number, work: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = process.cpuUsage();
    work();
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / 1e3);
  }
  return best;
}

function walk(bytes: Parameters<typeof walkPickleStreams>[0]): void {
  const result = walkPickleStreams(
    bytes,
    events,
    createBudget(1e9, () => undefined),
  );
  if (!result.streams[0]?.stopped) throw new Error('the walk did not finish');
}

/** Argument bytes of the opcodes the dense shape uses; -1 for any other opcode. */
const ARGUMENT_BYTES = new Int8Array(256).fill(-1);
for (const [code, size] of [
  [0x80, 1], // PROTO
  [0x95, 8], // FRAME
  [0x5d, 0], // EMPTY_LIST
  [0x94, 0], // MEMOIZE
  [0x28, 0], // MARK
  [0x4b, 1], // BININT1
  [0x4d, 2], // BININT2
  [0x4a, 4], // BININT
  [0x86, 0], // TUPLE2
  [0x65, 0], // APPENDS
  [0x2e, 0], // STOP
])
  ARGUMENT_BYTES[code] = size;

/**
 * The floor of any opcode walk in JavaScript: every opcode read and its argument stepped over, no
 * stack, no memo, no values. Same language, same memory traffic as the walker, so a loaded machine
 * slows both alike.
 */
function skimOpcodes(bytes: Uint8Array): number {
  let pos = 0;
  let count = 0;
  while (pos < bytes.length) {
    const size = ARGUMENT_BYTES[bytes[pos]];
    if (size < 0)
      throw new Error(
        `opcode 0x${bytes[pos].toString(16)} is not in the dense shape`,
      );
    pos += 1 + size;
    count++;
  }
  return count;
}

/** Speed: the walk vs the opcode skim and SHA-256 of the same bytes, and the walk at two sizes. */
function speed(): void {
  const small = denseTuplePickle(125_000);
  const large = denseTuplePickle(500_000);
  for (let i = 0; i < 3; i++) walk(small); // JIT warm-up, not measured
  const smallMs = bestOf(5, () => walk(small));
  const largeMs = bestOf(5, () => walk(large));
  // Hashed 16 times over, so that the floor runs about as long as the walk and the clock's
  // granularity does not matter; reported per pass.
  const hashMs =
    bestOf(5, () => {
      const hash = createHash('sha256');
      for (let pass = 0; pass < 16; pass++) hash.update(large);
      hash.digest();
    }) / 16;
  for (let i = 0; i < 3; i++) skimOpcodes(large);
  const skimMs = bestOf(5, () => skimOpcodes(large));
  process.stdout.write(
    `${JSON.stringify({
      bytes: large.length,
      smallBytes: small.length,
      smallMs,
      largeMs,
      hashMs,
      skimMs,
    })}\n`,
  );
}

/** Bytes the process holds live: V8 heap in use plus buffers outside it. */
function liveBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

/**
 * Memory: a chunked walk of `file` (as the scanner reads a large pickle). Reports resident memory
 * before and at peak, and the live memory the walk retains: after a full collection at every window
 * the walker reads (needs --expose-gc), what is still reachable. Peak RSS also counts garbage not yet
 * collected, so it varies with when the collector gets CPU; retained memory is a property of the
 * walker alone.
 */
function memory(file: string): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('the memory probe needs --expose-gc');
  const fd = openSync(file, 'r');
  const size = fstatSync(fd).size;
  collect();
  const liveBefore = liveBytes();
  const rssBeforeMb = process.memoryUsage.rss() / 2 ** 20;
  let retainedPeak = 0;
  let samples = 0;
  const sample = () => {
    collect();
    samples++;
    retainedPeak = Math.max(retainedPeak, liveBytes() - liveBefore);
  };
  walk({
    size,
    readSync: (offset, length) => {
      sample();
      const buffer = Buffer.allocUnsafe(Math.min(length, size - offset));
      readSync(fd, buffer, 0, buffer.length, offset);
      return buffer;
    },
    readInto: (target, offset) => {
      sample();
      return readSync(
        fd,
        target,
        0,
        Math.min(target.length, size - offset),
        offset,
      );
    },
  });
  sample();
  closeSync(fd);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    `${JSON.stringify({
      size,
      rssBeforeMb,
      peakRssMb,
      retainedPeakMb: retainedPeak / 2 ** 20,
      samples,
    })}\n`,
  );
}

/** Writes the dense pickle of `tuples` tuples to `file`, frame by frame. */
function write(file: string, tuples: number): void {
  const fd = openSync(file, 'w');
  try {
    denseTupleFrames(tuples, part => writeSync(fd, part));
  } finally {
    closeSync(fd);
  }
  process.stdout.write(`${JSON.stringify({ tuples })}\n`);
}

if (require.main === module) {
  const [command, file, tuples] = process.argv.slice(2);
  if (command === 'speed') speed();
  else if (command === 'memory') memory(file);
  else if (command === 'write') write(file, Number(tuples));
  else throw new Error(`unknown probe ${command}`);
}
