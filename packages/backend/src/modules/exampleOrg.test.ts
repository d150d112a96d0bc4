import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const EXAMPLES = join(__dirname, '..', '..', '..', '..', 'examples');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** Every catalog entity of the example content (policy files and other YAML without a kind are skipped). */
function exampleEntities(): any[] {
  return yamlFiles(EXAMPLES).flatMap(file =>
    parseAllDocuments(readFileSync(file, 'utf8'))
      .map(doc => doc.toJS())
      .filter(
        entity =>
          entity &&
          typeof entity === 'object' &&
          entity.kind &&
          entity.metadata,
      ),
  );
}

describe('the example organisation', () => {
  const entities = exampleEntities();
  const guest = entities.find(
    e => e.kind === 'User' && e.metadata.name === 'guest',
  );

  it('gives the guest user (anyone who signs in locally) no group and so no ownership', () => {
    expect(guest).toBeDefined();
    expect(guest.spec.memberOf ?? []).toEqual([]);
    const ownedByGuest = entities.filter(e =>
      /(^|:|\/)guest$/.test(String(e.spec?.owner ?? '')),
    );
    expect(ownedByGuest.map(e => e.metadata.name)).toEqual([]);
  });

  it('still has owners and approvers for the end-to-end users', () => {
    const memberOf = (name: string) =>
      entities.find(e => e.kind === 'User' && e.metadata.name === name)?.spec
        .memberOf;
    expect(memberOf('alice')).toContain('fraud-detection');
    expect(memberOf('bob')).toContain('ml-security');
    expect(
      entities.some(
        e => e.kind === 'Resource' && e.spec?.owner === 'fraud-detection',
      ),
    ).toBe(true);
  });
});
