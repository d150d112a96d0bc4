import type { Location } from '../../model/evidence';
import type { GraphPackage } from '../graph';

/** Where to point a reviewer for a package: its declaration if the project declares it, else its lock entry. */
export function locationOfPackage(pkg: GraphPackage): Location {
  const requirement =
    pkg.requirements.find(r => !r.constraintOnly) ?? pkg.requirements[0];
  if (requirement) return { path: requirement.file, line: requirement.line };
  const locked = pkg.locked[0];
  if (locked) return { path: locked.file, line: locked.line };
  return { path: pkg.declaredIn[0] ?? '.' };
}

export function shortestPath(pkg: GraphPackage): string[] | undefined {
  return pkg.paths[0];
}
