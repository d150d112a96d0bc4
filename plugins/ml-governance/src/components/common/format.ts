import type {
  Finding,
  FindingLocation,
} from '@ml-governance/plugin-ml-governance-common';
import type { Translate } from './labels';

/** A timestamp in the reader's locale and time zone; `—` when absent. */
export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/** A calendar date in the reader's locale; `—` when absent. */
export function formatDate(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/**
 * Where a finding is: the file, then the archive member chain (outermost first), then the byte
 * offset or source line. `model.zip › archive/data.pkl @ byte 112`.
 */
export function formatLocation(
  t: Translate,
  location: FindingLocation,
): string {
  const chain = [location.path, ...(location.entry ?? [])].join(' › ');
  if (location.line !== undefined) {
    return `${chain}:${location.line}${
      location.column !== undefined ? `:${location.column}` : ''
    }`;
  }
  if (location.offset !== undefined)
    return t('labels.locationAtByte', {
      where: chain,
      offset: String(location.offset),
    });
  return chain;
}

function evidenceText(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) return value.map(String).join(' → ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Evidence fields worth a column, in reading order; each has a label message (`labels.evidence.*`). */
const EVIDENCE_FIELDS = [
  'opcode',
  'symbol',
  'package',
  'version',
  'dependencyPath',
  'snippet',
  'guard',
] as const;

/**
 * The labelled evidence of a finding (known fields first, with the label a reviewer expects, then any
 * others under their own key), skipping empty ones.
 */
export function evidenceEntries(
  t: Translate,
  finding: Pick<Finding, 'evidence'>,
): Array<{ label: string; value: string }> {
  const evidence = finding.evidence ?? {};
  const known = new Set<string>(EVIDENCE_FIELDS);
  const entries: Array<{ label: string; value: string }> = [];
  for (const key of EVIDENCE_FIELDS) {
    const value = evidenceText(evidence[key]);
    if (value !== undefined)
      entries.push({ label: t(`labels.evidence.${key}`), value });
  }
  for (const [key, raw] of Object.entries(evidence)) {
    if (known.has(key)) continue;
    const value = evidenceText(raw);
    if (value !== undefined) entries.push({ label: key, value });
  }
  return entries;
}

/** A user/group ref without the default namespace: `user:default/ana` → `ana`. */
export function shortRef(ref: string | undefined): string {
  if (!ref) return '—';
  return ref.replace(/^[a-z]+:default\//i, '').replace(/^[a-z]+:/i, '');
}

/** YYYY-MM-DD of a date in UTC (the value of an `<input type="date">`). */
export function toDateInputValue(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 24 * 60 * 60 * 1000);
}
