import type { Signal } from '../../model/evidence';
import type { DependencyGraph } from '../graph';
import { KNOWN_NEIGHBOURS, POPULAR_PACKAGES } from '../data/popularPackages';
import { locationOfPackage } from './location';

export type SquatTechnique =
  | 'separator'
  | 'homoglyph'
  | 'edit-distance-1'
  | 'edit-distance-2';

/** Characters attackers swap for look-alikes, mapped to what they imitate. */
const CONFUSABLE: [RegExp, string][] = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/0/g, 'o'],
  [/1/g, 'l'],
  [/5/g, 's'],
  [/3/g, 'e'],
  [/[ı|]/g, 'l'],
];

function skeleton(name: string): string {
  let result = name.replace(/-/g, '');
  for (const [pattern, replacement] of CONFUSABLE)
    result = result.replace(pattern, replacement);
  return result.replace(/i/g, 'l');
}

/** Rows reused by every editDistance call (grown to the longest name seen): no allocation per pair. */
let rowBefore = new Int32Array(64);
let rowPrevious = new Int32Array(64);
let rowCurrent = new Int32Array(64);

/** Damerau–Levenshtein (optimal string alignment), stopping early above `max`. Three reused rows, no matrix. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const width = b.length + 1;
  if (rowCurrent.length < width) {
    rowBefore = new Int32Array(width * 2);
    rowPrevious = new Int32Array(width * 2);
    rowCurrent = new Int32Array(width * 2);
  }
  let before = rowBefore; // row i-2
  let previous = rowPrevious; // row i-1
  let current = rowCurrent; // row i
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i; // column 0 counts: against an empty or short b it is the whole row
    const ai = a.charCodeAt(i - 1);
    const aBefore = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = 1; j <= b.length; j++) {
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      let value = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + cost,
      );
      if (j > 1 && ai === b.charCodeAt(j - 2) && aBefore === bj)
        value = Math.min(value, before[j - 2] + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    const spare = before;
    before = previous;
    previous = current;
    current = spare;
  }
  return previous[b.length];
}

/**
 * What every lookup against one popular list needs, computed once per list: exact names, the first
 * target per separator-free form and per skeleton (first in list order, as a scan of the list finds),
 * and the targets long enough for each edit distance.
 */
interface SquatIndex {
  exact: ReadonlySet<string>;
  bySeparatorless: ReadonlyMap<string, string>;
  bySkeleton: ReadonlyMap<string, string>;
  distanceOne: readonly string[];
  distanceTwo: readonly string[];
  /**
   * Per name length and distance: the targets whose length is within that distance, in list order,
   * built on first use. A name is compared only with these (the rest cannot be that close).
   */
  byLength: Map<number, readonly string[]>;
}

/**
 * Which characters a name uses, folded onto 32 bits. One edit (insert, delete, substitute, swap)
 * changes the set of characters by at most two, so names whose sets differ in more than 2·k bits are
 * more than k edits apart: most pairs are ruled out by one XOR and a popcount, before any row is filled.
 */
function characterMask(name: string): number {
  let mask = 0;
  for (let i = 0; i < name.length; i++) mask |= 1 << (name.charCodeAt(i) & 31);
  return mask;
}

function bitCount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

const targetMasks = new Map<string, number>();

/** Whether `name` and `target` may be within `max` edits (never false when they are). */
function mayBeWithin(nameMask: number, target: string, max: number): boolean {
  let mask = targetMasks.get(target);
  if (mask === undefined) {
    mask = characterMask(target);
    targetMasks.set(target, mask);
  }
  return bitCount(nameMask ^ mask) <= 2 * max;
}

/** The targets of `targets` (in their order) whose length is within `distance` of `length`. */
function candidatesFor(
  index: SquatIndex,
  targets: readonly string[],
  length: number,
  distance: number,
): readonly string[] {
  const key = length * 4 + distance;
  let found = index.byLength.get(key);
  if (!found) {
    found = targets.filter(
      target => Math.abs(target.length - length) <= distance,
    );
    index.byLength.set(key, found);
  }
  return found;
}

const indexes = new WeakMap<readonly string[], SquatIndex>();
const defaultKnown = new Set(KNOWN_NEIGHBOURS);

function indexOf(popular: readonly string[]): SquatIndex {
  let index = indexes.get(popular);
  if (!index) {
    const bySeparatorless = new Map<string, string>();
    const bySkeleton = new Map<string, string>();
    for (const target of popular) {
      const separatorless = target.replace(/-/g, '');
      if (!bySeparatorless.has(separatorless))
        bySeparatorless.set(separatorless, target);
      const shape = skeleton(target);
      if (!bySkeleton.has(shape)) bySkeleton.set(shape, target);
    }
    index = {
      exact: new Set(popular),
      bySeparatorless,
      bySkeleton,
      // Short names have too many honest neighbours: distance 1 from 5 characters, distance 2 from 8.
      distanceOne: popular.filter(target => target.length >= 5),
      distanceTwo: popular.filter(target => target.length >= 8),
      byLength: new Map(),
    };
    indexes.set(popular, index);
  }
  return index;
}

/** The popular name `name` imitates and how, or undefined. Exact popular names and known neighbours are not squats. */
export function findSquatTarget(
  name: string,
  popular: readonly string[] = POPULAR_PACKAGES,
  known: ReadonlySet<string> = defaultKnown,
): { target: string; technique: SquatTechnique } | undefined {
  const index = indexOf(popular);
  if (index.exact.has(name) || known.has(name)) return undefined;
  const separator = index.bySeparatorless.get(name.replace(/-/g, ''));
  if (separator !== undefined)
    return { target: separator, technique: 'separator' };
  const homoglyph = index.bySkeleton.get(skeleton(name));
  if (homoglyph !== undefined)
    return { target: homoglyph, technique: 'homoglyph' };
  const nameMask = characterMask(name);
  for (const target of candidatesFor(
    index,
    index.distanceOne,
    name.length,
    1,
  )) {
    if (mayBeWithin(nameMask, target, 1) && editDistance(name, target, 1) === 1)
      return { target, technique: 'edit-distance-1' };
  }
  if (name.length < 8) return undefined;
  for (const target of candidatesFor(
    index,
    index.distanceTwo,
    name.length,
    2,
  )) {
    if (mayBeWithin(nameMask, target, 2) && editDistance(name, target, 2) === 2)
      return { target, technique: 'edit-distance-2' };
  }
  return undefined;
}

/** Packages whose names imitate popular ML packages: high for look-alikes and one-character typos, medium for two. */
export function checkTyposquats(
  graph: DependencyGraph,
  extraKnown: readonly string[],
): Signal[] {
  const known = new Set([...KNOWN_NEIGHBOURS, ...extraKnown]);
  const signals: Signal[] = [];
  for (const pkg of graph.packages.values()) {
    const squat = findSquatTarget(pkg.name, POPULAR_PACKAGES, known);
    if (!squat) continue;
    signals.push({
      ruleId: 'DEP-TYPOSQUAT',
      message: `${pkg.name} looks like the popular package ${squat.target} (${squat.technique}); check that it is the package you meant`,
      location: locationOfPackage(pkg),
      evidence: {
        package: pkg.name,
        version: pkg.version,
        dependencyPath: pkg.paths[0],
        imitates: squat.target,
        technique: squat.technique,
      },
      key: pkg.name,
      severity: squat.technique === 'edit-distance-2' ? 'medium' : 'high',
    });
  }
  return signals;
}
