#!/usr/bin/env node
/* eslint-disable no-console */
// Local stand-ins for the example catalog's remote entities (examples/remote-sources.yaml), so the
// portal shows remote scans offline: a Hugging Face Hub (+ its "CDN"), an S3-compatible endpoint and
// an MLflow tracking server, on 127.0.0.1:7110–7113 (app-config.yaml `mlGovernance.sources`). The
// models are virtual (headers computed on the fly, zeros elsewhere): multi-GB, no disk. The torch
// checkpoint's payload is the harmless shell command `true`; nothing here ever loads it.
require('@backstage/cli/config/nodeTransform.cjs');
const remote = require('../packages/scanner/src/test-support/remote');

const GiB = 1024 ** 3;
const PORTS = { hub: 7110, cdn: 7111, s3: 7112, mlflow: 7113 };

async function main() {
  const {
    VirtualObject,
    sparseSafetensors,
    sparseTorchZip,
    torchStateDictPickle,
  } = remote;
  const hub = await remote.startFakeHub(
    {
      'example-org/sentiment-classifier': {
        revisions: { main: '5f1c2a7d9e3b4c6a8f0e1d2c3b4a59687766554a' },
        token: 'hf_example_token',
        cardData: { license: 'apache-2.0' },
        files: {
          'README.md': VirtualObject.of(
            '---\nlicense: apache-2.0\npipeline_tag: text-classification\n---\n# Sentiment classifier\n',
          ),
          'config.json': VirtualObject.of(
            '{"architectures":["BertForSequenceClassification"],"model_type":"bert"}',
          ),
          'model.safetensors': sparseSafetensors(1.3 * GiB, 200),
        },
      },
    },
    { hub: PORTS.hub, cdn: PORTS.cdn },
  );
  const s3 = await remote.startFakeS3(
    {
      'ml-models': {
        'fraud/ranker-v7/pytorch_model.bin': sparseTorchZip(
          torchStateDictPickle(120, 1000, 'true'),
          2 * GiB,
          120,
        ),
        'fraud/ranker-v7/requirements.txt': VirtualObject.of('torch==2.6.0\n'),
      },
    },
    { accessKeyId: 'AKIAEXAMPLEKEY', port: PORTS.s3 },
  );
  const mlflow = await remote.startFakeMlflow(
    {
      'churn-predictor': [
        {
          version: '2',
          runId: 'run-2f0e',
          artifactUri: 'mlflow-artifacts:/1/run-2f0e/artifacts/model',
          stage: 'Archived',
        },
        {
          version: '3',
          runId: 'run-7a3c',
          artifactUri: 'mlflow-artifacts:/1/run-7a3c/artifacts/model',
          stage: 'Production',
          aliases: ['champion'],
        },
      ],
    },
    {
      '1/run-2f0e/artifacts/model/MLmodel': VirtualObject.of(
        'flavors:\n  python_function: {}\n',
      ),
      '1/run-2f0e/artifacts/model/model.safetensors': sparseSafetensors(
        512 * 1024 ** 2,
        50,
      ),
      '1/run-7a3c/artifacts/model/MLmodel': VirtualObject.of(
        'flavors:\n  python_function: {}\n',
      ),
      '1/run-7a3c/artifacts/model/model.safetensors': sparseSafetensors(
        3 * GiB,
        300,
      ),
    },
    { port: PORTS.mlflow },
  );
  console.log(
    `fake remote sources: hub ${hub.hub.origin} (cdn ${hub.cdn.origin}), s3 ${s3.origin}, mlflow ${mlflow.origin}`,
  );
  const stop = async () => {
    await Promise.all([hub.close(), s3.close(), mlflow.close()]);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(error => {
  console.error(`fake remote sources could not start: ${error.message}`);
  process.exit(1);
});
