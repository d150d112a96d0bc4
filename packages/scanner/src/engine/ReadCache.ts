// The bounded in-memory copy of small files a scan already read, kept for the project analyzers.

/** Small files kept in memory for the project analyzers (source, manifests), so none is opened twice. */
const TEXT_CACHE_BYTES = 32 * 1024 * 1024;

/** Bytes of small files the engine already read, by relative path, bounded in total. */
export class ReadCache {
  private readonly entries = new Map<string, Uint8Array>();
  private total = 0;
  keep(path: string, bytes: Uint8Array): void {
    if (this.total + bytes.length > TEXT_CACHE_BYTES) return;
    this.entries.set(path, bytes);
    this.total += bytes.length;
  }
  get(path: string): Uint8Array | undefined {
    return this.entries.get(path);
  }
}
