import type { ByteSource } from '../io/ByteSource';
import type { Location, Signal } from '../model/evidence';
import { detectSecrets, MAX_SECRET_SCAN_CHARS } from './detectSecrets';
import { isSecretTextCandidate } from './textCandidates';
import { secretSignal } from './toSignal';

/**
 * Limits of the secret search inside archives (zip, tar, gzip, nested), per top-level file: the
 * archive readers' own member, size and depth limits apply first.
 */
export const ARCHIVE_SECRET_LIMITS = {
  /** Text members searched per top-level file. */
  maxMembers: 5_000,
  /** Bytes of one member searched (larger members: their first part, and a SCAN-LIMIT). */
  maxMemberBytes: Math.min(4 * 1024 * 1024, MAX_SECRET_SCAN_CHARS),
  /** Bytes searched across all members of one top-level file. */
  maxTotalBytes: 64 * 1024 * 1024,
};

/** Readers that search their own text for secrets: the member is theirs. */
const SELF_SEARCHING_READERS = new Set(['dataset', 'notebook']);

interface Budget {
  members: number;
  bytes: number;
  limitReported: boolean;
}
/** Per top-level file (keyed by its record), so nested archives share one budget. */
const budgets = new WeakMap<object, Budget>();

/**
 * Searches a text member of an archive for credentials: a `.env` or `config.yaml` in a model zip,
 * a wheel or an image layer is as leaked as one in the checkout. The top-level files are the
 * secrets analyzer's; only members (depth > 0) come here.
 */
export async function searchArchiveMember(member: {
  source: ByteSource;
  location: Location;
  readerIds: readonly string[];
  /** Identity of the top-level file being scanned (its record). */
  topLevel: object;
  emit(signal: Signal): void;
}): Promise<void> {
  const { source, location } = member;
  const path = location.entry?.[location.entry.length - 1];
  if (!path || !isSecretTextCandidate(path)) return;
  if (member.readerIds.some(id => SELF_SEARCHING_READERS.has(id))) return;
  const budget = budgets.get(member.topLevel) ?? {
    members: 0,
    bytes: 0,
    limitReported: false,
  };
  budgets.set(member.topLevel, budget);
  const length = Math.min(
    source.size,
    ARCHIVE_SECRET_LIMITS.maxMemberBytes,
    ARCHIVE_SECRET_LIMITS.maxTotalBytes - budget.bytes,
  );
  if (
    budget.members >= ARCHIVE_SECRET_LIMITS.maxMembers ||
    length < Math.min(source.size, ARCHIVE_SECRET_LIMITS.maxMemberBytes)
  ) {
    if (!budget.limitReported)
      member.emit({
        ruleId: 'SCAN-LIMIT',
        message: `The secret search inside this archive stopped at ${budget.members} text members / ${budget.bytes} bytes (limits ${ARCHIVE_SECRET_LIMITS.maxMembers} members, ${ARCHIVE_SECRET_LIMITS.maxTotalBytes} bytes); ${path} and later members were not searched`,
        location,
        evidence: { limit: 'secrets.archive' },
        key: 'secrets:archive-budget',
        severity: 'info',
      });
    budget.limitReported = true;
    return;
  }
  budget.members++;
  budget.bytes += length;
  const text = Buffer.from(await source.read(0, length)).toString('utf8');
  for (const match of detectSecrets(text))
    member.emit(
      secretSignal(match, {
        ...location,
        line: match.line,
        column: match.column,
      }),
    );
  if (length < source.size)
    member.emit({
      ruleId: 'SCAN-LIMIT',
      message: `${path} is ${source.size} bytes: only its first ${length} were searched for secrets`,
      location,
      evidence: { limit: 'secrets.archiveMemberBytes' },
      key: 'secrets:archive-member-bytes',
      severity: 'info',
    });
}
