/** The subset of the OSV schema (https://ossf.github.io/osv-schema/) we read. */
export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvAffected {
  package?: { ecosystem?: string; name?: string; purl?: string };
  ranges?: { type?: string; events?: OsvEvent[] }[];
  versions?: string[];
}

export interface OsvRecord {
  id: string;
  modified?: string;
  withdrawn?: string;
  summary?: string;
  aliases?: string[];
  affected?: OsvAffected[];
  severity?: { type?: string; score?: string }[];
  database_specific?: { severity?: string; [key: string]: unknown };
}

/** Known-malicious package reports (OpenSSF malicious-packages) use `MAL-` IDs. */
export function isMalicious(
  record: Pick<OsvRecord, 'id' | 'aliases'>,
): boolean {
  return (
    record.id.startsWith('MAL-') ||
    (record.aliases ?? []).some(alias => alias.startsWith('MAL-'))
  );
}

/** A parsed value that looks enough like an OSV record to be matched. */
export function asOsvRecord(value: unknown): OsvRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as OsvRecord;
  if (
    typeof record.id !== 'string' ||
    (record.affected !== undefined && !Array.isArray(record.affected))
  )
    return undefined;
  return record;
}
