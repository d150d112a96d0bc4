import { createHash } from 'node:crypto';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { RemoteByteSource, RemoteReadError } from '../../io/RemoteByteSource';
import type {
  RemoteFile,
  RemoteSource,
  RemoteTree,
  TransferContext,
} from '../types';

let s3Module: typeof import('@aws-sdk/client-s3') | undefined;
/** The AWS SDK (and its HTTP stack) loads on first use: a local scan never pays for it at start-up. */
function s3(): typeof import('@aws-sdk/client-s3') {
  return (s3Module ??= require('@aws-sdk/client-s3'));
}

/**
 * Region, endpoint, credentials and limits of an {@link S3Source}.
 *
 * @public
 */
export interface S3SourceOptions {
  region?: string;
  /** S3-compatible endpoint (MinIO, Ceph, R2); `AWS_ENDPOINT_URL` for the CLI. Implies path-style addressing. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Static credentials; without them the SDK's standard chain (env, profile, web identity, instance role). */
  credentials?: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
  };
  /** When set, only these buckets may be read (targets come from catalog annotations). */
  allowedBuckets?: string[];
  /** Most objects listed under one prefix. */
  maxObjects?: number;
  timeoutMs?: number;
  maxAttempts?: number;
}

/**
 * A parsed `s3://bucket/prefix` URI.
 *
 * @public
 */
export interface S3Ref {
  bucket: string;
  prefix: string;
}

/** DNS-compatible bucket names only: a bucket becomes part of a host name in virtual-hosted addressing. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Parses an `s3://bucket/prefix` URI; undefined when it is not one.
 *
 * @public
 */
export function parseS3Uri(uri: string): S3Ref | undefined {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  if (!match || !BUCKET.test(match[1]) || match[1].includes('..'))
    return undefined;
  return { bucket: match[1], prefix: match[2] ?? '' };
}

interface ListedObject {
  key: string;
  size: number;
  etag: string;
}

/**
 * An S3 (or S3-compatible) prefix, or one object. Listing is ListObjectsV2; the digest is a hash of
 * every (key, ETag, size), so an unchanged prefix costs one listing and no object bytes. Objects are
 * read by ranged GetObject with `If-Match` on the listed ETag: an object replaced during the scan
 * fails the read instead of mixing two versions.
 *
 * @public
 */
export class S3Source implements RemoteSource {
  private readonly client: S3Client;
  private listing?: Promise<ListedObject[]>;

  constructor(
    private readonly ref: S3Ref,
    private readonly transfer: TransferContext,
    private readonly options: S3SourceOptions = {},
  ) {
    if (
      options.allowedBuckets &&
      !options.allowedBuckets.includes(ref.bucket)
    ) {
      throw new RemoteReadError(
        `bucket ${ref.bucket} is not in the configured allowedBuckets`,
      );
    }
    const config: S3ClientConfig = {
      region: options.region ?? 'us-east-1',
      maxAttempts: options.maxAttempts ?? 5,
      requestHandler: {
        requestTimeout: options.timeoutMs ?? 30_000,
        connectionTimeout: 10_000,
      },
    };
    if (options.endpoint) {
      config.endpoint = options.endpoint;
      config.forcePathStyle = options.forcePathStyle ?? true;
    } else if (options.forcePathStyle !== undefined)
      config.forcePathStyle = options.forcePathStyle;
    if (options.credentials) config.credentials = options.credentials;
    this.client = new (s3().S3Client)(config);
  }

  get uri(): string {
    return `s3://${this.ref.bucket}/${this.ref.prefix}`;
  }

  /** A listing cannot be pinned: the scan lists again and If-Match guards each object it reads. */
  get pinnedUri(): string {
    return this.uri;
  }

  async digest(): Promise<string> {
    return digestOf(this.ref, await this.list());
  }

  async open(): Promise<RemoteTree> {
    const objects = await this.list();
    const digest = digestOf(this.ref, objects);
    const base = this.baseOf(objects);
    const files: RemoteFile[] = objects.map(object => ({
      path:
        object.key === this.ref.prefix
          ? object.key.split('/').pop()!
          : object.key.slice(base.length),
      size: object.size,
      open: () => this.openObject(object),
    }));
    return {
      record: { kind: 's3', uri: this.uri, pinnedUri: this.uri, digest },
      files,
      components: [],
      problems: [],
    };
  }

  /** The folder keys are made relative to: the prefix itself when it names a folder. */
  private baseOf(objects: ListedObject[]): string {
    const prefix = this.ref.prefix;
    if (prefix === '' || prefix.endsWith('/')) return prefix;
    return objects.some(object => object.key === prefix)
      ? prefix.slice(0, prefix.lastIndexOf('/') + 1)
      : `${prefix}/`;
  }

  private list(): Promise<ListedObject[]> {
    this.listing ??= this.listAll();
    return this.listing;
  }

  private async listAll(): Promise<ListedObject[]> {
    const prefix = this.ref.prefix;
    const max = this.options.maxObjects ?? 100_000;
    const objects: ListedObject[] = [];
    let token: string | undefined;
    do {
      const command = new (s3().ListObjectsV2Command)({
        Bucket: this.ref.bucket,
        Prefix: prefix,
        ContinuationToken: token,
        MaxKeys: 1000,
      });
      const page = await this.call(() => this.client.send(command));
      for (const item of page.Contents ?? []) {
        const key = item.Key ?? '';
        // `models/bert` must not pick up `models/bert-large/…`.
        const inside =
          prefix === '' ||
          prefix.endsWith('/') ||
          key === prefix ||
          key.startsWith(`${prefix}/`);
        if (!inside || key.endsWith('/')) continue;
        if (key.split('/').includes('..'))
          throw new RemoteReadError(
            `unsafe key ${JSON.stringify(key)} in ${this.uri}`,
          );
        objects.push({ key, size: item.Size ?? 0, etag: item.ETag ?? '' });
        if (objects.length > max)
          throw new RemoteReadError(
            `${this.uri} holds more than ${max} objects`,
          );
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    if (objects.length === 0)
      throw new RemoteReadError(`${this.uri}: no objects under this prefix`);
    return objects.sort((a, b) => (a.key < b.key ? -1 : Number(a.key > b.key)));
  }

  private openObject(object: ListedObject): RemoteByteSource {
    return new RemoteByteSource(
      object.size,
      async (offset, length) => {
        const response = await this.call(() =>
          this.client.send(
            new (s3().GetObjectCommand)({
              Bucket: this.ref.bucket,
              Key: object.key,
              Range: `bytes=${offset}-${offset + length - 1}`,
              ...(object.etag ? { IfMatch: object.etag } : {}),
            }),
          ),
        );
        const wrongRange = response.ContentRange
          ? !response.ContentRange.startsWith(`bytes ${offset}-`)
          : offset !== 0 || (response.ContentLength ?? 0) > length;
        if (wrongRange) {
          // An endpoint that ignores Range would stream the whole object: stop before reading it.
          (response.Body as { destroy?: () => void } | undefined)?.destroy?.();
          throw new RemoteReadError(
            `${object.key}: asked for bytes ${offset}-${
              offset + length - 1
            }, answered ${response.ContentRange ?? 'the whole object'}`,
          );
        }
        const bytes =
          (await response.Body?.transformToByteArray()) ?? new Uint8Array(0);
        return bytes.subarray(0, length);
      },
      this.transfer,
    );
  }

  /** SDK errors become RemoteReadErrors that say what S3 answered (the SDK already retried). */
  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof RemoteReadError) throw error;
      const status =
        error instanceof s3().S3ServiceException
          ? error.$metadata.httpStatusCode
          : undefined;
      const name = (error as Error).name;
      throw new RemoteReadError(
        `${this.uri}: ${name}${status ? ` (HTTP ${status})` : ''}: ${
          (error as Error).message
        }`.slice(0, 500),
      );
    }
  }
}

function digestOf(ref: S3Ref, objects: ListedObject[]): string {
  const hash = createHash('sha256');
  for (const object of objects)
    hash.update(`${object.key}\0${object.etag}\0${object.size}\n`);
  return `s3:${ref.bucket}/${ref.prefix}:${hash.digest('hex')}`;
}
