import { isPlainObject } from '../common/boundedJson';

/**
 * Layer config fields that Keras opens when it rebuilds the layer (CVE-2025-12058): a string
 * `vocabulary` or `idf_weights` of StringLookup / IntegerLookup / TextVectorization is a file
 * read through `tf.io.gfile` (local, gs://, s3://, hdfs://, http(s)://), even with safe_mode. In
 * any other layer, a remote URL anywhere in the config, or a local path in a path-like field,
 * is the same shape.
 */
export interface FileReference {
  field: string;
  value: string;
  kind: 'remote' | 'local';
}

/** Fields whose string value the lookup layers read as a file. */
const FILE_VALUED_FIELDS = new Set([
  'vocabulary',
  'idf_weights',
  'vocabulary_file',
  'vocab_file',
]);
const PATH_LIKE_FIELD =
  /(^|_)(path|file|filename|filepath|dir|directory|vocab\w*|url|uri)$/i;
const REMOTE = /^(https?|ftp|gs|s3|s3a|hdfs|file|gcs|az|abfss?|wasbs?):\/\//i;
const LOCAL_PATH = /^(\/|~\/|\.{1,2}\/|[A-Za-z]:[\\/]|\\\\)|\.\.[\\/]/;
const MAX_FIELDS = 2_000;

/** References found in one layer's `config` object (its direct string fields and one level below). */
export function fileReferencesIn(
  config: Record<string, unknown>,
): FileReference[] {
  const found: FileReference[] = [];
  const queue: [string, unknown][] = Object.entries(config);
  for (let i = 0; i < queue.length && i < MAX_FIELDS; i++) {
    const [field, value] = queue[i];
    if (typeof value === 'string') {
      const leaf = field.split('.').pop()!;
      if (REMOTE.test(value.trim()))
        found.push({ field, value, kind: 'remote' });
      else if (FILE_VALUED_FIELDS.has(leaf) && value.trim() !== '')
        found.push({ field, value, kind: 'local' });
      else if (PATH_LIKE_FIELD.test(leaf) && LOCAL_PATH.test(value.trim()))
        found.push({ field, value, kind: 'local' });
    } else if (isPlainObject(value) && !('class_name' in value)) {
      // Nested plain dicts are part of this layer; nested Keras objects are walked on their own.
      for (const [key, child] of Object.entries(value))
        queue.push([`${field}.${key}`, child]);
    }
  }
  return found;
}
