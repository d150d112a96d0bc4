import { get } from 'node:http';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
/* eslint-disable @backstage/no-relative-monorepo-imports -- the scanner's own test servers and sources */
import { createScanner } from '../packages/scanner/src/createScanner';
import {
  createRemoteSource,
  newTransferContext,
  type RemoteSourcesConfig,
} from '../packages/scanner/src/sources/remoteSources';
import { scanRemoteSource } from '../packages/scanner/src/sources/scanRemote';
import {
  sparseSafetensors,
  sparseTorchZip,
  startFakeHub,
  startFakeMlflow,
  startFakeS3,
  torchStateDictPickle,
  VirtualObject,
} from '../packages/scanner/src/test-support/remote';
/* eslint-enable @backstage/no-relative-monorepo-imports */

/**
 * Remote-source benchmarks: each case serves a virtual multi-GB checkpoint from a local stand-in
 * (Hub, S3-compatible, MLflow) on 127.0.0.1, scans it by ranges, then downloads every byte of it the
 * way a download-then-scan tool would, and reports both. Loopback has no latency, so the time ratio
 * understates the gain on a real network; the byte counts do not depend on the network.
 */

const GiB = 1024 ** 3;
const SHA = 'f'.repeat(40);

export interface Model {
  files: Record<string, VirtualObject>;
  label: string;
}

export const MODELS: Record<string, () => Model> = {
  'safetensors-5gb': () => ({
    label: '5.0 GiB sharded safetensors (2 shards, 600 tensors)',
    files: {
      'config.json': VirtualObject.of('{"model_type":"llama"}'),
      'model-00001-of-00002.safetensors': sparseSafetensors(
        2.5 * GiB,
        300,
        'a',
      ),
      'model-00002-of-00002.safetensors': sparseSafetensors(
        2.5 * GiB,
        300,
        'b',
      ),
    },
  }),
  'torch-2gb': () => ({
    label: '2.0 GiB PyTorch zip (300 storages)',
    files: {
      'pytorch_model.bin': sparseTorchZip(
        torchStateDictPickle(300, 1000),
        2 * GiB,
        300,
      ),
    },
  }),
};

interface Row {
  case: string;
  input: string;
  size: number;
  scanSeconds: number;
  transferred: number;
  requests: number;
  downloadSeconds: number;
  findings: number;
}

/** Streams a URL to nowhere (following redirects), as a download-everything baseline. */
export function download(
  url: string,
  headers: Record<string, string> = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, res => {
      if (
        res.statusCode &&
        res.statusCode >= 300 &&
        res.statusCode < 400 &&
        res.headers.location
      ) {
        res.resume();
        // Like the Hub client, drop credentials on the way to another host.
        const next = new URL(res.headers.location, url);
        download(
          next.toString(),
          next.host === new URL(url).host ? headers : {},
        ).then(resolve, reject);
        return;
      }
      let bytes = 0;
      res.on('data', chunk => (bytes += chunk.length));
      res.on('end', () => resolve(bytes));
      res.on('error', reject);
    }).on('error', reject);
  });
}

export async function timed<T>(
  work: () => Promise<T>,
): Promise<{ value: T; seconds: number }> {
  const start = process.hrtime.bigint();
  const value = await work();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
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
  return { result, seconds, transfer };
}

const SOURCES: Record<
  string,
  (model: Model) => Promise<Omit<Row, 'case' | 'input' | 'size'>>
> = {
  hf: async model => {
    const hub = await startFakeHub({
      'acme/model': {
        revisions: { main: SHA },
        token: 'hf_bench',
        files: model.files,
      },
    });
    try {
      const config = {
        huggingface: {
          endpoint: hub.hub.origin,
          token: 'hf_bench',
          redirectHosts: [`localhost:${hub.cdn.port}`],
        },
      };
      const { result, seconds, transfer } = await scanCase(
        'hf://acme/model',
        config,
      );
      const { seconds: downloadSeconds } = await timed(async () => {
        for (const path of Object.keys(model.files)) {
          await download(
            `${hub.hub.origin}/acme/model/resolve/${SHA}/${path}`,
            { Authorization: 'Bearer hf_bench' },
          );
        }
      });
      return {
        scanSeconds: seconds,
        transferred: transfer.meter.bytes,
        requests: transfer.meter.requests,
        downloadSeconds,
        findings: result.findings.length,
      };
    } finally {
      await hub.close();
    }
  },
  s3: async model => {
    const files = Object.fromEntries(
      Object.entries(model.files).map(([path, object]) => [
        `m/${path}`,
        object,
      ]),
    );
    const s3 = await startFakeS3({ models: files });
    try {
      const credentials = {
        accessKeyId: 'AKIATESTKEY',
        secretAccessKey: 'secret',
      };
      const config = { s3: { endpoint: s3.origin, credentials } };
      const { result, seconds, transfer } = await scanCase(
        's3://models/m/',
        config,
      );
      const client = new S3Client({
        endpoint: s3.origin,
        forcePathStyle: true,
        region: 'us-east-1',
        credentials,
      });
      const { seconds: downloadSeconds } = await timed(async () => {
        for (const key of Object.keys(files)) {
          const response = await client.send(
            new GetObjectCommand({ Bucket: 'models', Key: key }),
          );
          for await (const _chunk of response.Body as AsyncIterable<Uint8Array>) {
            // discard: the baseline only pays the transfer
          }
        }
      });
      return {
        scanSeconds: seconds,
        transferred: transfer.meter.bytes,
        requests: transfer.meter.requests,
        downloadSeconds,
        findings: result.findings.length,
      };
    } finally {
      await s3.close();
    }
  },
  mlflow: async model => {
    const artifacts = Object.fromEntries(
      Object.entries(model.files).map(([path, object]) => [
        `0/run/artifacts/model/${path}`,
        object,
      ]),
    );
    const mlflow = await startFakeMlflow(
      {
        bench: [
          {
            version: '1',
            runId: 'run',
            artifactUri: 'mlflow-artifacts:/0/run/artifacts/model',
          },
        ],
      },
      artifacts,
    );
    try {
      const { result, seconds, transfer } = await scanCase('mlflow://bench/1', {
        mlflow: { trackingUri: mlflow.origin },
      });
      const { seconds: downloadSeconds } = await timed(async () => {
        for (const key of Object.keys(artifacts))
          await download(
            `${mlflow.origin}/api/2.0/mlflow-artifacts/artifacts/${key}`,
          );
      });
      return {
        scanSeconds: seconds,
        transferred: transfer.meter.bytes,
        requests: transfer.meter.requests,
        downloadSeconds,
        findings: result.findings.length,
      };
    } finally {
      await mlflow.close();
    }
  },
};

export async function main(args: string[]): Promise<void> {
  const rows: Row[] = [];
  for (const source of Object.keys(SOURCES)) {
    for (const name of Object.keys(MODELS)) {
      const caseName = `${source}-${name}`;
      if (args[0] && args[0] !== caseName) continue;
      const model = MODELS[name]();
      const size = Object.values(model.files).reduce(
        (sum, object) => sum + object.size,
        0,
      );
      const row = {
        case: caseName,
        input: model.label,
        size,
        ...(await SOURCES[source](model)),
      };
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
    console.log(
      `| ${r.case} | ${r.input} | ${(r.scanSeconds * 1000).toFixed(0)} ms | ${(
        r.transferred / 1024
      ).toFixed(1)} KiB | ${(perGb / 1024).toFixed(1)} KiB/GB | ${
        r.requests
      } | ${(r.size / GiB).toFixed(2)} GiB in ${r.downloadSeconds.toFixed(
        1,
      )} s | ${r.findings} |`,
    );
  }
}
