// What the installed distributions in the tree say about themselves: each one's version, and the import names its top_level.txt lists.
import type { ProjectContext } from '../engine/ProjectAnalyzer';
import type { InstalledDistribution } from './projectLayout';

/** Versions and import names of installed distributions (`*.dist-info` folders) in the tree. */
export async function readInstalledDistributions(
  ctx: ProjectContext,
  installed: InstalledDistribution[],
) {
  const versions = new Map<string, string>();
  const importToDistribution: Record<string, string> = {};
  for (const distribution of installed) {
    versions.set(distribution.name, distribution.version);
    if (!distribution.topLevelFile) continue;
    try {
      for (const line of (await ctx.readText(distribution.topLevelFile)).split(
        '\n',
      )) {
        const name = line.trim();
        if (/^[A-Za-z_][\w]*$/.test(name))
          importToDistribution[name] = distribution.name;
      }
    } catch {
      // A missing or oversized top_level.txt only costs the name mapping: fall back to the data table.
    }
  }
  return { versions, importToDistribution };
}
