import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { asOsvRecord, type OsvRecord } from './osvRecord';

export const OSV_BATCH_SIZE = 1000;
const MAX_PAGES_PER_QUERY = 10;
const DETAIL_CONCURRENCY = 8;

export interface OsvQuery {
  name: string;
  version: string;
}

export class OsvLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OsvLookupError';
  }
}

interface BatchResult {
  vulns?: { id: string; modified?: string }[];
  next_page_token?: string;
}

/**
 * The OSV API: `POST /v1/querybatch` (≤1000 queries, results in input order, IDs only), then
 * `GET /v1/vulns/{id}` for each advisory, cached on disk by ID and `modified`.
 */
export class OsvOnlineClient {
  constructor(
    private readonly options: {
      apiUrl: string;
      timeoutMs: number;
      cacheDir?: string;
    },
  ) {}

  /** Advisories per query, in query order. */
  async lookup(
    queries: readonly OsvQuery[],
  ): Promise<{ records: OsvRecord[][]; newestModified?: string }> {
    const ids: { id: string; modified?: string }[][] = [];
    for (let start = 0; start < queries.length; start += OSV_BATCH_SIZE) {
      ids.push(
        ...(await this.batch(queries.slice(start, start + OSV_BATCH_SIZE))),
      );
    }
    const unique = new Map<string, string | undefined>();
    for (const list of ids)
      for (const { id, modified } of list) unique.set(id, modified);
    const details = new Map<string, OsvRecord>();
    const pending = [...unique.entries()];
    const worker = async () => {
      for (let next = pending.shift(); next; next = pending.shift())
        details.set(next[0], await this.details(next[0], next[1]));
    };
    await Promise.all(
      Array.from(
        { length: Math.min(DETAIL_CONCURRENCY, pending.length) },
        worker,
      ),
    );
    let newestModified: string | undefined;
    for (const record of details.values())
      if (
        record.modified &&
        (!newestModified || record.modified > newestModified)
      )
        newestModified = record.modified;
    return {
      records: ids.map(list =>
        list.map(({ id }) => details.get(id)!).filter(Boolean),
      ),
      newestModified,
    };
  }

  private async batch(
    queries: readonly OsvQuery[],
  ): Promise<{ id: string; modified?: string }[][]> {
    const body = (pageTokens: (string | undefined)[], indexes: number[]) => ({
      queries: indexes.map((index, i) => ({
        package: { name: queries[index].name, ecosystem: 'PyPI' },
        version: queries[index].version,
        ...(pageTokens[i] ? { page_token: pageTokens[i] } : {}),
      })),
    });
    const results: { id: string; modified?: string }[][] = queries.map(
      () => [],
    );
    let indexes = queries.map((_, i) => i);
    let tokens: (string | undefined)[] = indexes.map(() => undefined);
    for (
      let page = 0;
      indexes.length > 0 && page < MAX_PAGES_PER_QUERY;
      page++
    ) {
      const response = (await this.request('/v1/querybatch', {
        method: 'POST',
        body: JSON.stringify(body(tokens, indexes)),
      })) as { results?: BatchResult[] };
      const batch = Array.isArray(response?.results) ? response.results : [];
      if (batch.length !== indexes.length)
        throw new OsvLookupError(
          `querybatch returned ${batch.length} results for ${indexes.length} queries`,
        );
      const nextIndexes: number[] = [];
      const nextTokens: string[] = [];
      for (const [i, result] of batch.entries()) {
        for (const vuln of result?.vulns ?? [])
          if (typeof vuln?.id === 'string')
            results[indexes[i]].push({ id: vuln.id, modified: vuln.modified });
        if (
          typeof result?.next_page_token === 'string' &&
          result.next_page_token
        ) {
          nextIndexes.push(indexes[i]);
          nextTokens.push(result.next_page_token);
        }
      }
      indexes = nextIndexes;
      tokens = nextTokens;
    }
    return results;
  }

  private async details(
    id: string,
    modified: string | undefined,
  ): Promise<OsvRecord> {
    const safeId = id.replace(/[^A-Za-z0-9._-]/g, '_');
    const cacheFile = this.options.cacheDir
      ? join(this.options.cacheDir, `${safeId}.json`)
      : undefined;
    if (cacheFile) {
      const cached = await readFile(cacheFile, 'utf8').then(
        text => asOsvRecord(JSON.parse(text)),
        () => undefined,
      );
      if (cached && (!modified || (cached.modified ?? '') >= modified))
        return cached;
    }
    const record = asOsvRecord(
      await this.request(`/v1/vulns/${encodeURIComponent(id)}`, {
        method: 'GET',
      }),
    );
    if (!record)
      throw new OsvLookupError(`advisory ${id} is not an OSV record`);
    if (cacheFile) {
      // A cache we cannot write only costs a refetch next time.
      await mkdir(this.options.cacheDir!, { recursive: true })
        .then(() => writeFile(cacheFile, JSON.stringify(record)))
        .catch(() => undefined);
    }
    return record;
  }

  private async request(
    path: string,
    init: { method: string; body?: string },
  ): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.options.apiUrl}${path}`, {
        ...init,
        headers: init.body ? { 'content-type': 'application/json' } : undefined,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const err = error as Error;
      const reason =
        err.name === 'TimeoutError' || err.name === 'AbortError'
          ? `no answer within ${this.options.timeoutMs} ms`
          : err.message;
      throw new OsvLookupError(`${init.method} ${path}: ${reason}`);
    }
    if (!response.ok)
      throw new OsvLookupError(
        `${init.method} ${path}: HTTP ${response.status}`,
      );
    try {
      return await response.json();
    } catch {
      throw new OsvLookupError(`${init.method} ${path}: response is not JSON`);
    }
  }
}
