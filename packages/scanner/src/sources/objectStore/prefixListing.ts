import { createHash } from 'node:crypto';
import { RemoteReadError } from '../../io/RemoteByteSource';
import type { HttpResponse } from '../http/httpClient';
import type { RemoteTree } from '../types';
import type { ByteSource } from '../../io/ByteSource';

/** One object of a bucket or container listing. */
export interface ListedObject {
  key: string;
  size: number;
  /** What changes when the content does: a GCS generation, an Azure ETag. */
  version: string;
}

const DEFAULT_MAX_OBJECTS = 100_000;

/**
 * Collects the objects of one prefix across listing pages, as the S3 source does: `models/bert`
 * must not pick up `models/bert-large/…`, folder placeholders are skipped, a `..` key is refused
 * (it would climb out of the scan folder), and more than `max` objects stops the listing.
 */
export class PrefixListing {
  private readonly objects: ListedObject[] = [];

  constructor(
    private readonly uri: string,
    private readonly prefix: string,
    private readonly max = DEFAULT_MAX_OBJECTS,
  ) {}

  add(object: ListedObject): void {
    const { key } = object;
    const inside =
      this.prefix === '' ||
      this.prefix.endsWith('/') ||
      key === this.prefix ||
      key.startsWith(`${this.prefix}/`);
    if (!inside || key.endsWith('/')) return;
    if (key.split('/').includes('..'))
      throw new RemoteReadError(
        `unsafe key ${JSON.stringify(key).slice(0, 200)} in ${this.uri}`,
      );
    if (!Number.isSafeInteger(object.size) || object.size < 0)
      throw new RemoteReadError(`${this.uri}: ${key} has no usable size`);
    this.objects.push(object);
    if (this.objects.length > this.max)
      throw new RemoteReadError(
        `${this.uri} holds more than ${this.max} objects`,
      );
  }

  /** The objects sorted by key; an empty prefix is an error (a typo must not scan as clean). */
  done(): ListedObject[] {
    if (this.objects.length === 0)
      throw new RemoteReadError(`${this.uri}: no objects under this prefix`);
    return this.objects.sort((a, b) =>
      a.key < b.key ? -1 : Number(a.key > b.key),
    );
  }
}

/** The path of a listed object relative to the target: the prefix's folder, or the object's own name. */
export function relativePaths(
  prefix: string,
  objects: readonly ListedObject[],
): string[] {
  let base: string;
  if (prefix === '' || prefix.endsWith('/')) base = prefix;
  else if (objects.some(object => object.key === prefix))
    base = prefix.slice(0, prefix.lastIndexOf('/') + 1);
  else base = `${prefix}/`;
  return objects.map(object =>
    object.key === prefix
      ? object.key.split('/').pop()!
      : object.key.slice(base.length),
  );
}

/** A hash of every (key, version, size): equal while nothing under the prefix changed. */
export function listingDigest(
  scope: string,
  objects: readonly ListedObject[],
): string {
  const hash = createHash('sha256');
  for (const object of objects)
    hash.update(`${object.key}\0${object.version}\0${object.size}\n`);
  return `${scope}:${hash.digest('hex')}`;
}

/**
 * Checks that a 206 answer covers an object of the listed size: an object replaced between listing
 * and read must fail the read, not mix two versions.
 */
export function checkServedTotal(
  response: HttpResponse,
  size: number,
  key: string,
): void {
  const total = /\/(\d+)$/.exec(
    String(response.headers['content-range'] ?? ''),
  );
  if (response.status === 206 && total && Number(total[1]) !== size) {
    throw new RemoteReadError(
      `${key}: listed with ${size} bytes but served with ${total[1]}; it changed during the scan`,
    );
  }
}

/**
 * The tree a prefix listing scans: each object under its path below the prefix, the listing digest
 * as the record's (an unchanged listing transfers nothing). Object stores cannot pin a listing, so
 * the pinned URI is the URI; each read is pinned by generation or ETag instead.
 */
export function listedTree(options: {
  kind: string;
  uri: string;
  prefix: string;
  objects: ListedObject[];
  digest: string;
  open: (object: ListedObject) => ByteSource;
}): RemoteTree {
  const { kind, uri, prefix, objects, digest, open } = options;
  const paths = relativePaths(prefix, objects);
  return {
    record: { kind, uri, pinnedUri: uri, digest },
    files: objects.map((object, index) => ({
      path: paths[index],
      size: object.size,
      open: () => open(object),
    })),
    components: [],
    problems: [],
  };
}
