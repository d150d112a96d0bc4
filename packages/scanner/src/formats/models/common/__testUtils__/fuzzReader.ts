import fc from 'fast-check';
import { BufferSource } from '../../../../io/ByteSource';
import { DEFAULT_LIMITS } from '../../../../model/limits';
import type {
  FormatReader,
  ReaderContext,
} from '../../../../engine/FormatReader';
import type { Signal } from '../../../../model/evidence';
import {
  LimitExceededError,
  ScanTimeoutError,
} from '../../../../engine/errors';
import { getRule } from '../../../../rules/catalogue';

/**
 * Runs a reader directly on bytes with a recording context. Limit and timeout errors are the
 * engine's business (they become SCAN-LIMIT); anything else thrown is a reader bug.
 */
export async function readBytes(
  reader: FormatReader,
  bytes: Uint8Array,
  name: string,
  timeBudgetMs = 2000,
) {
  const signals: Signal[] = [];
  const source = new BufferSource(bytes);
  const deadline = Date.now() + timeBudgetMs;
  const ctx: ReaderContext = {
    limits: {
      ...DEFAULT_LIMITS,
      maxHeaderBytes: 1024 * 1024,
      maxTextBytes: 1024 * 1024,
    },
    depth: 0,
    options: {},
    emit: signal => {
      getRule(signal.ruleId); // every emitted rule must exist in the catalogue
      signals.push(signal);
    },
    addComponent: () => {},
    scanChild: async () => {},
    checkDeadline: () => {
      if (Date.now() > deadline) throw new ScanTimeoutError(timeBudgetMs);
    },
    setFormat: () => {},
  };
  try {
    await reader.read(
      {
        source,
        name,
        location: { path: name },
        head: await source.read(0, 4096),
      },
      ctx,
    );
  } catch (error) {
    if (
      !(
        error instanceof LimitExceededError || error instanceof ScanTimeoutError
      )
    )
      throw error;
  }
  return signals;
}

/** Flips, inserts and truncates bytes of a valid sample. */
export function mutatedBytes(sample: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc
    .record({
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
        maxLength: 8,
      }),
      cut: fc.option(fc.nat(), { nil: undefined }),
      insert: fc.option(fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 16 })), {
        nil: undefined,
      }),
    })
    .map(({ flips, cut, insert }) => {
      let out = Buffer.from(sample);
      for (const [at, value] of flips)
        if (out.length) out[at % out.length] = value;
      if (insert) {
        const at = insert[0] % (out.length + 1);
        out = Buffer.concat([
          out.subarray(0, at),
          Buffer.from(insert[1]),
          out.subarray(at),
        ]);
      }
      if (cut !== undefined && out.length)
        out = out.subarray(0, cut % out.length);
      return new Uint8Array(out);
    });
}

/**
 * The property every reader must hold: arbitrary and mutated bytes never throw out of `read`
 * and finish well within a time bound.
 */
export async function assertReaderIsRobust(
  reader: FormatReader,
  name: string,
  samples: Uint8Array[],
  runs = 300,
) {
  const inputs = fc.oneof(
    fc.uint8Array({ maxLength: 512 }),
    ...samples.map(mutatedBytes),
  );
  await fc.assert(
    fc.asyncProperty(inputs, async bytes => {
      const started = Date.now();
      await readBytes(reader, bytes, name);
      return Date.now() - started < 2500;
    }),
    { numRuns: runs },
  );
}
