import type { ByteSource } from '../io/ByteSource';
import type { ConcurrencyLimiter, TransferMeter } from '../io/RemoteByteSource';
import type { Component } from '../model/component';

/** What a scan record keeps about where a remote target was read from. */
export interface SourceRecord {
  kind: 'huggingface' | 's3' | 'mlflow' | 'gcs' | 'azure' | (string & {});
  /** The target as written (`hf://org/name@main`). */
  uri: string;
  /** The same target pinned to what was read (`hf://org/name@<commit sha>`). */
  pinnedUri: string;
  /** Compared with the stored digest: equal means nothing changed and nothing is transferred. */
  digest: string;
  /** Commit SHA (Hub), registry version (MLflow). */
  revision?: string;
  /** MLflow run that produced the registered version. */
  runId?: string;
  /** Where a registry version's files actually live (`s3://…`, `mlflow-artifacts:/…`). */
  artifactUri?: string;
}

/** One file of a remote tree, read by ranges. */
export interface RemoteFile {
  /** `/`-separated, relative to the tree root. */
  path: string;
  size: number;
  open(): ByteSource;
}

/** A listed remote tree, pinned to one version. */
export interface RemoteTree {
  record: SourceRecord;
  files: RemoteFile[];
  /** What the source's own API says about the model (Hub card data, licence). */
  components: Component[];
  /** Reasons the listing itself is incomplete (truncated pages, refused entries). */
  problems: string[];
}

export interface RemoteSource {
  readonly uri: string;
  /** The cheapest identity of the current version (one API call, no file bytes). */
  digest(): Promise<string>;
  /** After `digest()`: the URI of exactly that version (commit SHA, registry version), to scan later. */
  readonly pinnedUri: string | undefined;
  /** Lists the files at the version `digest` names. */
  open(): Promise<RemoteTree>;
}

/** Shared by every file of a scan: one concurrency cap and one byte count. */
export interface TransferContext {
  limiter: ConcurrencyLimiter;
  meter: TransferMeter;
}
