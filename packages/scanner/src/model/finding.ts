import type { SourceRecord } from '../sources/types';
import type { Evidence, Location } from './evidence';
import type { Severity } from './severity';
import type { Component } from './component';

/**
 * A signal joined with its rule: what reports, the portal and the policy work with.
 *
 * @public
 */
export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  cwe: string[];
  owaspLlm: string[];
  message: string;
  location: Location;
  evidence: Evidence;
  fix: string;
  retest: string;
  docsUrl: string;
  /** Stable across scans: same rule, same file and member, same key ⇒ same fingerprint. */
  fingerprint: string;
}

/**
 * One file visited during a scan.
 *
 * @public
 */
export interface FileRecord {
  path: string;
  size: number;
  /** Formats recognised in it (outer first), e.g. `['zip', 'pytorch-zip']`. */
  formats: string[];
  /** Bytes actually read from it (headers, directories, pickles), to show scans stay cheap. */
  bytesRead: number;
}

/**
 * What a scan found: the findings, the files read and the components described.
 *
 * @public
 */
export interface ScanResult {
  tool: { name: string; version: string };
  /** The scanned path as given. */
  target: string;
  startedAt: string;
  durationMs: number;
  files: FileRecord[];
  findings: Finding[];
  components: Component[];
  /** For a remote target: where it was read from, pinned (commit SHA, registry version, run), and what it cost. */
  remote?: SourceRecord & { bytesTransferred: number; requests: number };
}
