/**
 * What an entity's target resolves to for one scan.
 *
 * @public
 */
export type ResolvedTarget =
  | {
      /** The target has not changed since `previousDigest`: nothing to scan. */
      unchanged: true;
      digest: string;
    }
  | {
      unchanged: false;
      /** Identifies this version of the target (ETag, commit, hash of the file list). */
      digest: string;
      /**
       * A local directory or file the scanner reads, or a pinned remote URI (`hf://org/name@<sha>`,
       * `s3://…`, `mlflow://name/<version>`) that the plugin's scanner reads by ranges through the
       * sources configured under `mlGovernance.sources`.
       */
      path: string;
      /** Removes what `resolve` created (temporary checkouts). */
      cleanup(): Promise<void>;
    };

/**
 * What a target resolver is told about the scan: the previous digest and the entity.
 *
 * @public
 */
export interface TargetResolveContext {
  /** Digest from the last successful read of this target, for incremental scans. */
  previousDigest?: string;
  entityRef: string;
}

/**
 * Turns a target string (`url:https://…`, `file:/abs/path`, `hf://…`, `s3://…`, `mlflow://…`, or a
 * custom scheme) into something the scanner can read, plus a digest for incremental scans. The plugin asks each resolver in turn; the first whose `supports` returns true wins.
 * A resolver throws when the target cannot be read; the plugin records that as a failed target.
 *
 * @public
 */
export interface TargetResolver {
  readonly id: string;
  supports(target: string): boolean;
  resolve(
    target: string,
    context: TargetResolveContext,
  ): Promise<ResolvedTarget>;
}
