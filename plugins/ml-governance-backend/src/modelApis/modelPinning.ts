/**
 * Whether a model name pins one snapshot, as data: providers repoint aliases (`gpt-4o`, `…-latest`)
 * to new snapshots without notice, so only a name carrying a snapshot marker counts as pinned.
 */

interface PinningRule {
  pattern: RegExp;
  reason: string;
}

/** Names that move, whatever else they carry. Checked first. */
const MOVING_ALIASES: PinningRule[] = [
  {
    pattern:
      /(?:^|[-_.:/@])(?:latest|stable|current|default|preview|beta|exp|experimental|nightly)(?=$|[-_.:/@])/i,
    reason: 'names a moving alias',
  },
];

/** Snapshot markers providers use for immutable model versions. */
const SNAPSHOT_MARKERS: PinningRule[] = [
  { pattern: /\d{4}-\d{2}-\d{2}/, reason: 'a dated snapshot (YYYY-MM-DD)' },
  {
    pattern: /(?:^|[-_@])20\d{6}(?=$|[-_.:])/,
    reason: 'a dated snapshot (YYYYMMDD)',
  },
  {
    pattern: /-(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/,
    reason: 'a dated snapshot (MMDD suffix)',
  },
  { pattern: /@\d{3,}$/, reason: 'a numbered revision (@NNN)' },
  { pattern: /@sha256:[0-9a-f]{64}$/, reason: 'a content digest' },
];

export interface ModelPinning {
  pinned: boolean;
  reason: string;
}

export function modelPinning(model: string): ModelPinning {
  for (const rule of MOVING_ALIASES)
    if (rule.pattern.test(model))
      return { pinned: false, reason: `${model} ${rule.reason}` };
  for (const rule of SNAPSHOT_MARKERS)
    if (rule.pattern.test(model))
      return { pinned: true, reason: `${model} is ${rule.reason}` };
  return {
    pinned: false,
    reason: `${model} carries no snapshot marker (date, revision or digest): the provider may repoint it`,
  };
}
