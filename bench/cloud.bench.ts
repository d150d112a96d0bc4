/* eslint-disable @backstage/no-relative-monorepo-imports -- the scanner's own test servers and sources */
import { createScanner } from '../packages/scanner/src/createScanner';
import {
  createRemoteSource,
  newTransferContext,
  type RemoteSourcesConfig,
} from '../packages/scanner/src/sources/remoteSources';
import { scanRemoteSource } from '../packages/scanner/src/sources/scanRemote';
import {
  sparseTorchZip,
  startFakeAzure,
  startFakeGcs,
  torchStateDictPickle,
  type VirtualObject,
} from '../packages/scanner/src/test-support/remote';
/* eslint-enable @backstage/no-relative-monorepo-imports */
import { download, MODELS, timed, type Model } from './remote.bench';

/**
 * Google Cloud Storage and Azure Blob benchmarks, in the shape of remote.bench.ts: a virtual
 * multi-GB checkpoint served by the local stand-in of each service, scanned by ranges, then
 * downloaded whole (the baseline). `zip-latency` measures the parallel zip reads: a 300-member
 * PyTorch zip behind a stand-in that waits before every answer, scanned with 1, 4 and 16 range
 * requests in flight (1 is the request pattern of a reader that reads one header after another).
 *
 *   node bench/run.js cloud [case] [--latency <ms>] [--no-download]
 */

const GiB = 1024 ** 3;
const TOKEN = 'ya29.bench';
const KEY = Buffer.from('bench account key').toString('base64');
const SAS = 'YmVuY2g=';

interface Row {
  case: string;
  input: string;
  size: number;
  scanSeconds: number;
  transferred: number;
  requests: number;
  downloadSeconds?: number;
  findings: number;
}

async function scanCase(uri: string, config: RemoteSourcesConfig) {
  const transfer = newTransferContext(config);
  const { value: result, seconds } = await timed(() =>
    scanRemoteSource(
      createScanner(),
      createRemoteSource(uri, config, transfer),
      transfer,
    ),
  );
  return {
    scanSeconds: seconds,
    transferred: transfer.meter.bytes,
    requests: transfer.meter.requests,
    findings: result.findings.length,
  };
}

function prefixed(files: Record<string, VirtualObject>) {
  return Object.fromEntries(
    Object.entries(files).map(([path, object]) => [`m/${path}`, object]),
  );
}

async function gcsCase(
  model: Model,
  options: { latencyMs?: number; parallelRequests?: number; download: boolean },
) {
  const objects = prefixed(model.files);
  const gcs = await startFakeGcs(
    { models: objects },
    { token: TOKEN, latencyMs: options.latencyMs },
  );
  try {
    const row = await scanCase('gs://models/m/', {
      gcs: { endpoint: gcs.origin, token: TOKEN },
      parallelRequests: options.parallelRequests,
    });
    if (!options.download) return row;
    const { seconds } = await timed(async () => {
      for (const name of Object.keys(objects))
        await download(
          `${gcs.origin}/storage/v1/b/models/o/${encodeURIComponent(
            name,
          )}?alt=media`,
          { Authorization: `Bearer ${TOKEN}` },
        );
    });
    return { ...row, downloadSeconds: seconds };
  } finally {
    await gcs.close();
  }
}

async function azureCase(model: Model, options: { download: boolean }) {
  const blobs = prefixed(model.files);
  const azure = await startFakeAzure({
    benchstore: { key: KEY, sasSignature: SAS, containers: { models: blobs } },
  });
  try {
    const row = await scanCase('az://benchstore/models/m/', {
      azure: {
        accounts: {
          benchstore: {
            accountKey: KEY,
            endpoint: `${azure.origin}/benchstore`,
          },
        },
      },
    });
    if (!options.download) return row;
    const { seconds } = await timed(async () => {
      for (const name of Object.keys(blobs))
        await download(
          `${
            azure.origin
          }/benchstore/models/${name}?sv=2021-08-06&sig=${encodeURIComponent(
            SAS,
          )}`,
          { 'x-ms-version': '2021-08-06' },
        );
    });
    return { ...row, downloadSeconds: seconds };
  } finally {
    await azure.close();
  }
}

async function zipLatency(latencyMs: number): Promise<void> {
  const model: Model = {
    label: '2.0 GiB PyTorch zip (300 storages)',
    files: {
      'pytorch_model.bin': sparseTorchZip(
        torchStateDictPickle(300, 1000, 'id'),
        2 * GiB,
        300,
      ),
    },
  };
  const rows: (Row & { parallel: number })[] = [];
  for (const parallel of [1, 4, 16]) {
    const row = await gcsCase(model, {
      latencyMs,
      parallelRequests: parallel,
      download: false,
    });
    const full = {
      case: `zip-latency-p${parallel}`,
      input: model.label,
      size: 2 * GiB,
      parallel,
      ...row,
    };
    console.error(JSON.stringify(full));
    rows.push(full);
  }
  console.log(
    `| range requests in flight | scan time (${latencyMs} ms per request) | requests | transferred | vs 1 in flight |`,
  );
  console.log('|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.parallel} | ${(r.scanSeconds * 1000).toFixed(0)} ms | ${
        r.requests
      } | ${(r.transferred / 1024).toFixed(1)} KiB | ${(
        rows[0].scanSeconds / r.scanSeconds
      ).toFixed(2)}× faster |`,
    );
  }
}

export async function main(args: string[]): Promise<void> {
  const flag = (name: string) => args.indexOf(name);
  const latencyAt = flag('--latency');
  const latencyMs = latencyAt >= 0 ? Number(args[latencyAt + 1]) : 20;
  const download = flag('--no-download') < 0;
  const only = args[0] && !args[0].startsWith('--') ? args[0] : undefined;
  if (!only || only === 'zip-latency') await zipLatency(latencyMs);
  if (only === 'zip-latency') return;
  const rows: Row[] = [];
  for (const source of ['gcs', 'azure']) {
    for (const name of Object.keys(MODELS)) {
      const caseName = `${source}-${name}`;
      if (only && only !== caseName) continue;
      const model = MODELS[name]();
      const size = Object.values(model.files).reduce(
        (sum, object) => sum + object.size,
        0,
      );
      const measured =
        source === 'gcs'
          ? await gcsCase(model, { download })
          : await azureCase(model, { download });
      const row = { case: caseName, input: model.label, size, ...measured };
      console.error(JSON.stringify(row));
      rows.push(row);
    }
  }
  console.log(
    '| case | input | scan time | transferred | per GB | requests | download-everything | findings |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const perGb = r.transferred / (r.size / 1e9);
    const baseline =
      r.downloadSeconds === undefined
        ? 'not run'
        : `${(r.size / GiB).toFixed(2)} GiB in ${r.downloadSeconds.toFixed(
            1,
          )} s`;
    console.log(
      `| ${r.case} | ${r.input} | ${(r.scanSeconds * 1000).toFixed(0)} ms | ${(
        r.transferred / 1024
      ).toFixed(1)} KiB | ${(perGb / 1024).toFixed(1)} KiB/GB | ${
        r.requests
      } | ${baseline} | ${r.findings} |`,
    );
  }
}
