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

export interface FakeMlflowVersion {
  version: string;
  runId: string;
  /** As `get-download-uri` answers: `mlflow-artifacts:/…`, `s3://…`, or anything hostile. */
  artifactUri: string;
  stage?: string;
  aliases?: string[];
}

export interface FakeMlflow extends RunningServer {
  served: ServedBytes;
  faults: Fault[];
}

/**
 * An MLflow tracking server with the Model Registry REST API (`model-versions/get`,
 * `registered-models/alias`, `registered-models/get-latest-versions`, `model-versions/get-download-uri`)
 * and the proxied artifact API (`/api/2.0/mlflow-artifacts/artifacts` list and GET with Range).
 * Requests need `Authorization: Bearer <token>` when a token is given.
 */
export async function startFakeMlflow(
  models: Record<string, FakeMlflowVersion[]>,
  artifacts: Record<string, VirtualObject>,
  options: { token?: string; port?: number } = {},
): Promise<FakeMlflow> {
  const served = new ServedBytes();
  const faults: Fault[] = [];
  const json = (
    res: import('node:http').ServerResponse,
    status: number,
    body: unknown,
  ) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const view = (name: string, v: FakeMlflowVersion) => ({
    name,
    version: v.version,
    run_id: v.runId,
    source: v.artifactUri,
    current_stage: v.stage ?? 'None',
    aliases: v.aliases ?? [],
    status: 'READY',
  });
  const running = await listen(
    async (req, res) => {
      record(served, req);
      if (applyFault(faults, req, res)) return;
      if (
        options.token &&
        req.headers.authorization !== `Bearer ${options.token}`
      ) {
        json(res, 401, { error_code: 'UNAUTHENTICATED' });
        return;
      }
      const url = new URL(req.url ?? '/', 'http://mlflow');
      const name = url.searchParams.get('name') ?? '';
      const versions = models[name];
      const path = url.pathname;
      if (path === '/api/2.0/mlflow-artifacts/artifacts') {
        const folder = (url.searchParams.get('path') ?? '').replace(/\/+$/, '');
        const inside = Object.keys(artifacts).filter(key =>
          key.startsWith(`${folder}/`),
        );
        const children = new Map<string, boolean>();
        for (const key of inside) {
          const [first, ...rest] = key.slice(folder.length + 1).split('/');
          children.set(first, rest.length > 0 || children.get(first) === true);
        }
        json(res, 200, {
          files: [...children].map(([child, isDir]) =>
            isDir
              ? { path: child, is_dir: true }
              : {
                  path: child,
                  is_dir: false,
                  file_size: String(artifacts[`${folder}/${child}`].size),
                },
          ),
        });
        return;
      }
      if (path.startsWith('/api/2.0/mlflow-artifacts/artifacts/')) {
        const key = decodeURIComponent(
          path.slice('/api/2.0/mlflow-artifacts/artifacts/'.length),
        );
        const object = artifacts[key];
        if (!object) {
          json(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST' });
          return;
        }
        sendObject(req, res, object, served);
        return;
      }
      if (
        path === '/api/2.0/mlflow/registered-models/get-latest-versions' &&
        req.method === 'POST'
      ) {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          name: string;
          stages?: string[];
        };
        const all = models[body.name];
        if (!all) {
          json(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST' });
          return;
        }
        const matching = all.filter(
          v => !body.stages || body.stages.includes(v.stage ?? 'None'),
        );
        json(res, 200, {
          model_versions: matching.map(v => view(body.name, v)),
        });
        return;
      }
      if (!versions) {
        json(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST' });
        return;
      }
      const byVersion = versions.find(
        v => v.version === url.searchParams.get('version'),
      );
      if (path === '/api/2.0/mlflow/model-versions/get' && byVersion) {
        json(res, 200, { model_version: view(name, byVersion) });
        return;
      }
      if (
        path === '/api/2.0/mlflow/model-versions/get-download-uri' &&
        byVersion
      ) {
        json(res, 200, { artifact_uri: byVersion.artifactUri });
        return;
      }
      const byAlias = versions.find(v =>
        v.aliases?.includes(url.searchParams.get('alias') ?? ''),
      );
      if (path === '/api/2.0/mlflow/registered-models/alias' && byAlias) {
        json(res, 200, { model_version: view(name, byAlias) });
        return;
      }
      json(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST' });
    },
    '127.0.0.1',
    options.port,
  );
  return Object.assign(running, { served, faults });
}
