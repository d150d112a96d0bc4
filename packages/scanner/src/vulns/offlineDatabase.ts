import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { normalizeName } from '../deps/names';
import { asOsvRecord, type OsvRecord } from './osvRecord';
import { FileSource } from '../io/ByteSource';
import {
  listZipEntries,
  readZipEntry,
} from '../formats/archive/zip/zipEntries';

const MAX_ENTRIES = 2_000_000;
const MAX_RECORD_BYTES = 8 * 1024 * 1024;
/** The PyPI export's directory is ~100 bytes an entry. */
const MAX_DIRECTORY_BYTES = 512 * 1024 * 1024;

/** Advisories indexed by PEP 503 package name, from the OSV PyPI export or a folder of OSV JSON files. */
export interface OsvDatabase {
  /** Where the data came from, for evidence: `offline:/path/all.zip (12345 records)`. */
  source: string;
  /** Newest `modified` across records: how current the database is. */
  newestModified?: string;
  recordsFor(name: string): OsvRecord[];
}

export async function openOfflineDatabase(path: string): Promise<OsvDatabase> {
  const info = await stat(path);
  const byName = new Map<string, OsvRecord[]>();
  let newestModified: string | undefined;
  let count = 0;
  const add = (text: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    const record = asOsvRecord(parsed);
    if (!record) return;
    count++;
    if (
      record.modified &&
      (!newestModified || record.modified > newestModified)
    )
      newestModified = record.modified;
    const names = new Set(
      (record.affected ?? [])
        .map(a => a.package?.name)
        .filter((n): n is string => typeof n === 'string')
        .map(normalizeName),
    );
    for (const name of names)
      byName.set(name, [...(byName.get(name) ?? []), record]);
  };
  if (info.isDirectory()) {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.json'))
        add(await readFile(join(path, entry.name), 'utf8'));
    }
  } else {
    // The export is read with the scanner's own zip record parsers: one zip reader in the codebase.
    const source = await FileSource.open(path);
    try {
      for (const member of await listZipEntries(source, {
        maxEntries: MAX_ENTRIES,
        maxDirectoryBytes: MAX_DIRECTORY_BYTES,
      })) {
        if (member.name.endsWith('.json'))
          add(
            Buffer.from(
              await readZipEntry(source, member, MAX_RECORD_BYTES),
            ).toString('utf8'),
          );
      }
    } finally {
      await source.close();
    }
  }
  return {
    source: `offline:${path} (${count} records)`,
    newestModified,
    recordsFor: name => byName.get(normalizeName(name)) ?? [],
  };
}
