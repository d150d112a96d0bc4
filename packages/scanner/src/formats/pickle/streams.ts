import {
  walkStream,
  type InlineData,
  type StreamResult,
  type StructuralAnomaly,
  type WalkBudget,
  type WalkEvents,
} from './walker';
import type { CallRef, GlobalRef, PyValue } from './values';
import {
  bytesAt,
  indexOfByte,
  isChunked,
  sizeOf,
  type PickleBytes,
} from './pickleInput';

/** Bytes a protocol 0/1 probe looks at; its PROBE_OPS opcodes fit unless their arguments are huge. */
const PROBE_HEAD_BYTES = 64 * 1024;

export interface StreamsOptions {
  /** Stop after this many streams (PyTorch legacy files hold exactly 5, then raw storage bytes). */
  maxStreams?: number;
  /** Report bytes after the last stream that do not start a pickle (default true). */
  reportTrailing?: boolean;
  /** Window size for a chunked input (tests). */
  windowBytes?: number;
}

export interface StreamsResult {
  streams: StreamResult[];
  /** The op budget ran out: the rest was not walked. */
  limitReached: boolean;
  /** Offset where the walk ended (end of the last stream, or of the data). */
  end: number;
}

/** Buffers a probed stream's events; they are replayed only if the stream turns out valid. */
class RecordingEvents implements WalkEvents {
  private readonly log: Array<() => void> = [];
  constructor(private readonly target: WalkEvents) {}
  onGlobal(ref: GlobalRef): void {
    this.log.push(() => this.target.onGlobal(ref));
  }
  onCall(call: CallRef): void {
    this.log.push(() => this.target.onCall(call));
  }
  onBuild(target: PyValue, state: PyValue, offset: number): void {
    this.log.push(() => this.target.onBuild(target, state, offset));
  }
  onAnomaly(anomaly: StructuralAnomaly): void {
    this.log.push(() => this.target.onAnomaly(anomaly));
  }
  inlineDataAfterBuild(
    target: PyValue,
    state: PyValue,
  ): InlineData | undefined {
    return this.target.inlineDataAfterBuild?.(target, state);
  }
  replay(): void {
    for (const entry of this.log) entry();
  }
}

/** Candidate stream starts probed after junk or a broken stream. */
const MAX_RESYNC_CANDIDATES = 32;
/** Opcodes a protocol 0/1 probe walks before it calls the data a pickle. */
const PROBE_OPS = 64;

/**
 * Walks every pickle stream in `data`: loaders (and attackers) can read several pickles from one
 * file, so the walk continues after STOP while the next bytes start a plausible pickle. After a
 * broken stream or junk, later `PROTO` headers are probed; a probed stream counts only if it parses
 * to its STOP, and then its imports and calls are reported like any other.
 */
export function walkPickleStreams(
  data: PickleBytes,
  events: WalkEvents,
  budget: WalkBudget,
  options: StreamsOptions = {},
): StreamsResult {
  const size = sizeOf(data);
  const streams: StreamResult[] = [];
  const maxStreams = options.maxStreams ?? Number.MAX_SAFE_INTEGER;
  let pos = 0;
  while (pos < size && streams.length < maxStreams) {
    const result = walkStream(data, pos, events, budget, {
      windowBytes: options.windowBytes,
    });
    streams.push(result);
    if (result.limitReached)
      return { streams, limitReached: true, end: result.end };
    if (!result.stopped) {
      return resynchronise(
        data,
        Math.max(result.end, result.start + 1),
        events,
        budget,
        streams,
      );
    }
    pos = result.end;
    if (pos >= size || streams.length >= maxStreams) break;
    if (!looksLikePickleAt(data, pos, budget)) {
      if (options.reportTrailing !== false) {
        events.onAnomaly({
          kind: 'trailing-data',
          message: `${
            size - pos
          } bytes after the pickle's STOP at offset ${pos} are not a pickle stream`,
          offset: pos,
        });
      }
      return resynchronise(data, pos, events, budget, streams);
    }
  }
  return { streams, limitReached: false, end: pos };
}

/** Finds later `PROTO 2..5` headers in junk and walks those that parse as complete streams. */
function resynchronise(
  data: PickleBytes,
  from: number,
  events: WalkEvents,
  budget: WalkBudget,
  streams: StreamResult[],
): StreamsResult {
  const size = sizeOf(data);
  let candidates = 0;
  let pos = from;
  while (pos < size - 1 && candidates < MAX_RESYNC_CANDIDATES) {
    const at = indexOfByte(data, 0x80, pos);
    if (at < 0 || at + 1 >= size) break;
    const version = bytesAt(data, at + 1, 1)[0];
    if (version < 2 || version > 5) {
      pos = at + 1;
      continue;
    }
    candidates++;
    const recorder = new RecordingEvents(events);
    const probe = walkStream(data, at, recorder, budget, { speculative: true });
    if (probe.limitReached)
      return { streams, limitReached: true, end: probe.end };
    if (probe.stopped) {
      recorder.replay();
      streams.push(probe);
      pos = probe.end;
    } else {
      pos = at + 1;
    }
  }
  return { streams, limitReached: false, end: size };
}

/** True when a pickle stream plausibly starts at `pos`: a PROTO header, or a protocol 0/1 head that parses. */
export function looksLikePickleAt(
  data: PickleBytes,
  pos: number,
  budget?: WalkBudget,
): boolean {
  // In memory the probe sees everything after `pos`; a chunked source gives it a bounded head.
  const head = isChunked(data)
    ? bytesAt(data, pos, PROBE_HEAD_BYTES)
    : data.subarray(pos);
  if (head[0] === 0x80) return head.length > 1 && head[1] <= 5;
  return probeProtocol01(head, budget, pos + head.length < sizeOf(data))
    .plausible;
}

export interface ProbeResult {
  plausible: boolean;
  /** Opcodes parsed before the probe decided. */
  ops: number;
}

const IDENTIFIER_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * Decides whether bytes without a PROTO header are a protocol 0/1 pickle: the head must walk as
 * valid opcodes (no underflow, no invalid byte) to STOP or for PROBE_OPS opcodes, or to the end of
 * a head cut from a larger file, and every GLOBAL/INST must name Python identifiers. Text files
 * (README, JSON, source) fail within a few bytes.
 */
export function probeProtocol01(
  head: Uint8Array,
  budget?: WalkBudget,
  headIsPrefix = false,
): ProbeResult {
  if (head.length < 2) return { plausible: false, ops: 0 };
  const probeBudget: WalkBudget = {
    maxOps: PROBE_OPS,
    opsUsed: 0,
    checkDeadline: budget?.checkDeadline ?? (() => undefined),
  };
  let namesValid = true;
  let ops = 0;
  const recorder: WalkEvents = {
    onGlobal: ref => {
      if (!IDENTIFIER_PATH.test(ref.module) || !IDENTIFIER_PATH.test(ref.name))
        namesValid = false;
    },
    onCall: () => undefined,
    onBuild: () => undefined,
    onAnomaly: () => undefined,
  };
  const result = walkStream(head, 0, recorder, probeBudget, {
    speculative: true,
  });
  ops = probeBudget.opsUsed;
  if (!namesValid) return { plausible: false, ops };
  if (result.stopped || result.limitReached)
    return { plausible: ops >= 2, ops };
  const cutShort = headIsPrefix && result.broken?.kind === 'truncated';
  return { plausible: cutShort && ops >= 4, ops };
}
