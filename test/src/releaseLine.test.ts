import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import semver from 'semver';

// Every @backstage/* range in this repository must admit the version of the Backstage release that
// backstage.json names. A range ahead of or behind the release makes an adopter's create-app portal
// install a second copy of that package (two catalog-react instances: the entity page cannot see our
// card's context). The manifest is vendored: refresh it with `node scripts/release-manifest.js` after
// changing backstage.json (docs/development.md, "Upgrading Backstage").

const root = resolve(__dirname, '../..');
const release: string = JSON.parse(
  readFileSync(join(root, 'backstage.json'), 'utf8'),
).version;
const manifestFile = join(root, 'test', 'release-manifests', `${release}.json`);

type PackageJson = {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};

const DEPENDENCY_FIELDS = [
  'dependencies',
  'peerDependencies',
  'devDependencies',
] as const;

function workspaces(): { dir: string; pkg: PackageJson }[] {
  const dirs = [
    '.',
    'test',
    ...['packages', 'plugins'].flatMap(parent =>
      readdirSync(join(root, parent)).map(name => `${parent}/${name}`),
    ),
  ];
  return dirs
    .filter(dir => existsSync(join(root, dir, 'package.json')))
    .map(dir => ({
      dir,
      pkg: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')),
    }));
}

function manifestVersions(): Map<string, string> {
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  return new Map(
    (manifest.packages as { name: string; version: string }[]).map(p => [
      p.name,
      p.version,
    ]),
  );
}

describe(`Backstage ${release} release line`, () => {
  it('has a vendored release manifest for the version in backstage.json', () => {
    expect(existsSync(manifestFile)).toBe(true);
  });

  const versions = manifestVersions();

  it.each(workspaces().map(w => [w.pkg.name, w] as const))(
    '%s depends on @backstage/* at the release versions',
    (_name, { pkg }) => {
      const offLine: string[] = [];
      for (const field of DEPENDENCY_FIELDS) {
        for (const [dep, range] of Object.entries(pkg[field] ?? {})) {
          if (!dep.startsWith('@backstage/')) continue;
          const version = versions.get(dep);
          if (!version) {
            offLine.push(
              `${field} ${dep}@${range}: not in the ${release} manifest`,
            );
          } else if (!semver.satisfies(version, range)) {
            offLine.push(
              `${field} ${dep}@${range}: release ${release} has ${version}`,
            );
          }
        }
      }
      expect(offLine).toEqual([]);
    },
  );

  it('installs the @backstage/* packages we depend on only on that release line (yarn.lock)', () => {
    // A caret range on the release version admits the release's patches, never a new major (or minor,
    // before 1.0), so this catches a dependency that drags in a second copy from the next line. Only
    // packages a workspace names: deeper duplicates come from Backstage's own patch releases.
    const direct = new Set(
      workspaces().flatMap(({ pkg }) =>
        DEPENDENCY_FIELDS.flatMap(field => Object.keys(pkg[field] ?? {})),
      ),
    );
    const lock = readFileSync(join(root, 'yarn.lock'), 'utf8');
    const offLine = new Set<string>();
    for (const match of lock.matchAll(
      /^ {2}resolution: "(@backstage\/[^@"]+)@npm:([^"]+)"$/gm,
    )) {
      const [, name, resolved] = match;
      const version = versions.get(name);
      if (
        direct.has(name) &&
        version &&
        !semver.satisfies(resolved, `^${version}`)
      ) {
        offLine.add(`${name}@${resolved} (release ${release} has ${version})`);
      }
    }
    expect([...offLine]).toEqual([]);
  });
});
