import type { Signal } from '../../model/evidence';
import type { DependencyGraph } from '../graph';
import { KNOWN_NEIGHBOURS, POPULAR_PACKAGES } from '../data/popularPackages';
import { locationOfPackage } from './location';

export type SquatTechnique = 'separator' | 'homoglyph' | 'edit-distance-1' | 'edit-distance-2';

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
  for (const [pattern, replacement] of CONFUSABLE) result = result.replace(pattern, replacement);
  return result.replace(/i/g, 'l');
}

/** Damerau–Levenshtein (optimal string alignment), stopping early above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2][j - 2] + 1);
      rows[i][j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
  }
  return rows[a.length][b.length];
}

/** The popular name `name` imitates and how, or undefined. Exact popular names and known neighbours are not squats. */
export function findSquatTarget(
  name: string,
  popular: readonly string[] = POPULAR_PACKAGES,
  known: ReadonlySet<string> = new Set(KNOWN_NEIGHBOURS),
): { target: string; technique: SquatTechnique } | undefined {
  if (popular.includes(name) || known.has(name)) return undefined;
  for (const target of popular) {
    if (name.replace(/-/g, '') === target.replace(/-/g, '')) return { target, technique: 'separator' };
  }
  for (const target of popular) {
    if (skeleton(name) === skeleton(target)) return { target, technique: 'homoglyph' };
  }
  // Short names have too many honest neighbours: distance 1 from 5 characters, distance 2 from 8.
  for (const target of popular) {
    if (target.length >= 5 && editDistance(name, target, 1) === 1) return { target, technique: 'edit-distance-1' };
  }
  for (const target of popular) {
    if (target.length >= 8 && name.length >= 8 && editDistance(name, target, 2) === 2) return { target, technique: 'edit-distance-2' };
  }
  return undefined;
}

/** Packages whose names imitate popular ML packages: high for look-alikes and one-character typos, medium for two. */
export function checkTyposquats(graph: DependencyGraph, extraKnown: readonly string[]): Signal[] {
  const known = new Set([...KNOWN_NEIGHBOURS, ...extraKnown]);
  const signals: Signal[] = [];
  for (const pkg of graph.packages.values()) {
    const squat = findSquatTarget(pkg.name, POPULAR_PACKAGES, known);
    if (!squat) continue;
    signals.push({
      ruleId: 'DEP-TYPOSQUAT',
      message: `${pkg.name} looks like the popular package ${squat.target} (${squat.technique}); check that it is the package you meant`,
      location: locationOfPackage(pkg),
      evidence: { package: pkg.name, version: pkg.version, dependencyPath: pkg.paths[0], imitates: squat.target, technique: squat.technique },
      key: pkg.name,
      severity: squat.technique === 'edit-distance-2' ? 'medium' : 'high',
    });
  }
  return signals;
}
