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

/** Damerau–Levenshtein (optimal string alignment), stopping early above `max`. Three reused rows, no matrix. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const width = b.length + 1;
  let before = new Int32Array(width); // row i-2
  let previous = new Int32Array(width); // row i-1
  let current = new Int32Array(width); // row i
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
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
  for (const target of index.distanceOne) {
    if (
      Math.abs(target.length - name.length) <= 1 &&
      editDistance(name, target, 1) === 1
    )
      return { target, technique: 'edit-distance-1' };
  }
  if (name.length < 8) return undefined;
  for (const target of index.distanceTwo) {
    if (
      Math.abs(target.length - name.length) <= 2 &&
      editDistance(name, target, 2) === 2
    )
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
