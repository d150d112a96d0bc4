import {
  applyFault,
  listen,
  record,
  sendObject,
  ServedBytes,
  type Fault,
  type RunningServer,
} from './rangeServer';
import type { VirtualObject } from './virtualObject';

export interface FakeHubRepo {
  /** Commit SHA per revision name (branches, tags); the SHA itself always resolves too. */
  revisions: Record<string, string>;
  files: Record<string, VirtualObject>;
  cardData?: Record<string, unknown>;
  /** Needs `Authorization: Bearer <token>`; `gated` answers 403 GatedRepo to other tokens. */
  token?: string;
  gated?: boolean;
}

export interface FakeHub {
  hub: RunningServer;
  cdn: RunningServer;
  /** Bytes of file content served (Hub and CDN), requests, and a log of every request. */
  served: ServedBytes;
  faults: Fault[];
  /** Set to send reads of LFS-sized files (over 10 MiB) to this Location instead of the CDN. */
  redirectOverride?: string;
  close(): Promise<void>;
}

const LFS_THRESHOLD = 10 * 1024 * 1024;

/**
 * A stand-in for the Hugging Face Hub on 127.0.0.1: the model-info API (`/api/models/{repo}/revision/{rev}`,
 * `?blobs=true` adds sizes), `/{repo}/resolve/{rev}/{path}` with Range, 401 for private repos without a
 * token, 403 `X-Error-Code: GatedRepo`, and large files redirected (302) to a separate "CDN" server on
 * `localhost` (another host) that rejects any Authorization header, as a signed CDN URL needs none.
 */
export async function startFakeHub(
  repos: Record<string, FakeHubRepo>,
  ports: { hub?: number; cdn?: number } = {},
): Promise<FakeHub> {
  const served = new ServedBytes();
  const faults: Fault[] = [];
  const state: Partial<FakeHub> = {};

  const authorised = (
    repo: FakeHubRepo,
    authorization: string | undefined,
  ): number => {
    if (!repo.token) return 200;
    if (authorization !== `Bearer ${repo.token}`)
      return repo.gated && authorization ? 403 : 401;
    return 200;
  };
  const shaOf = (repo: FakeHubRepo, rev: string) =>
    repo.revisions[rev] ??
    (Object.values(repo.revisions).includes(rev) ? rev : undefined);

  const cdn = await listen(
    (req, res) => {
      record(served, req);
      if (applyFault(faults, req, res)) return;
      const url = new URL(req.url ?? '/', 'http://cdn');
      if (req.headers.authorization) {
        res.writeHead(400);
        res.end('the Hub token must not reach the CDN');
        return;
      }
      const [repoName, sha, path] = [
        url.searchParams.get('repo') ?? '',
        url.searchParams.get('sha'),
        url.searchParams.get('path') ?? '',
      ];
      const repo = repos[repoName];
      const object =
        repo && sha && shaOf(repo, sha) === sha ? repo.files[path] : undefined;
      if (!object || url.searchParams.get('signature') !== 'ok') {
        res.writeHead(403);
        res.end();
        return;
      }
      sendObject(req, res, object, served);
    },
    'localhost',
    ports.cdn,
  );

  const hub = await listen(
    (req, res) => {
      record(served, req);
      if (applyFault(faults, req, res)) return;
      const url = new URL(req.url ?? '/', 'http://hub');
      const api = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(
        url.pathname,
      );
      const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(
        url.pathname,
      );
      const repoName = api?.[1] ?? resolve?.[1];
      const repo = repoName ? repos[repoName] : undefined;
      if (!repo) {
        res.writeHead(401, { 'X-Error-Code': 'RepoNotFound' });
        res.end('{"error":"Repository not found"}');
        return;
      }
      const status = authorised(repo, req.headers.authorization);
      if (status !== 200) {
        res.writeHead(
          status,
          status === 403 ? { 'X-Error-Code': 'GatedRepo' } : {},
        );
        res.end();
        return;
      }
      const sha = shaOf(repo, decodeURIComponent((api?.[2] ?? resolve?.[2])!));
      if (!sha) {
        res.writeHead(404, { 'X-Error-Code': 'RevisionNotFound' });
        res.end();
        return;
      }
      if (api) {
        const blobs = url.searchParams.get('blobs') === 'true';
        const siblings = Object.entries(repo.files).map(([rfilename, object]) =>
          blobs
            ? {
                rfilename,
                size: object.size,
                ...(object.size > LFS_THRESHOLD
                  ? { lfs: { size: object.size } }
                  : {}),
              }
            : { rfilename },
        );
        const body = Buffer.from(
          JSON.stringify({
            id: repoName,
            sha,
            siblings,
            cardData: repo.cardData,
            private: Boolean(repo.token),
          }),
        );
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(body);
        return;
      }
      const path = decodeURIComponent(resolve![3]);
      const object = repo.files[path];
      if (!object) {
        res.writeHead(404, { 'X-Error-Code': 'EntryNotFound' });
        res.end();
        return;
      }
      if (object.size > LFS_THRESHOLD) {
        const location =
          state.redirectOverride ??
          `${cdn.origin}/blob?repo=${encodeURIComponent(
            repoName!,
          )}&sha=${sha}&path=${encodeURIComponent(path)}&signature=ok`;
        res.writeHead(302, { Location: location });
        res.end();
        return;
      }
      sendObject(req, res, object, served);
    },
    '127.0.0.1',
    ports.hub,
  );

  Object.assign(state, {
    hub,
    cdn,
    served,
    faults,
    close: async () => {
      await hub.close();
      await cdn.close();
    },
  });
  return state as FakeHub;
}
