#!/usr/bin/env node
/* eslint-disable no-console */
// Local stand-ins for the example catalog's Cloud Storage and Azure Blob entities
// (examples/cloud-storage.yaml): a Google Cloud Storage JSON API on 127.0.0.1:7114 and an Azure Blob
// service (path-style, as Azurite) on 127.0.0.1:7115, matching app-config.yaml `mlGovernance.sources.gcs`
// and `.azure`. Models are virtual (headers computed on the fly, zeros elsewhere): multi-GB, no disk.
// The PyTorch checkpoint's payload is the harmless shell command `true`; nothing here ever loads it.
require('@backstage/cli/config/nodeTransform.cjs');
const remote = require('../packages/scanner/src/test-support/remote');

const GiB = 1024 ** 3;
const PORTS = { gcs: 7114, azure: 7115 };

async function main() {
  const {
    VirtualObject,
    sparseSafetensors,
    sparseTorchZip,
    torchStateDictPickle,
  } = remote;
  const gcs = await remote.startFakeGcs(
    {
      'ml-models': {
        'recommender/two-tower/config.json': VirtualObject.of(
          '{"architectures":["TwoTowerModel"],"embedding_dim":256}',
        ),
        'recommender/two-tower/model.safetensors': sparseSafetensors(
          1.5 * GiB,
          240,
        ),
      },
    },
    { token: 'ya29.example-token', port: PORTS.gcs },
  );
  const azure = await remote.startFakeAzure(
    {
      mlexamples: {
        key: Buffer.from('example-azure-account-key').toString('base64'),
        containers: {
          models: {
            'speech/whisper-ft/pytorch_model.bin': sparseTorchZip(
              torchStateDictPickle(160, 1000, 'true'),
              1.2 * GiB,
              160,
            ),
            'speech/whisper-ft/requirements.txt':
              VirtualObject.of('torch==2.6.0\n'),
          },
        },
      },
    },
    { port: PORTS.azure },
  );
  console.log(
    `fake cloud storage: gcs ${gcs.origin}, azure blob ${azure.origin}/mlexamples`,
  );
  const stop = async () => {
    await Promise.all([gcs.close(), azure.close()]);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(error => {
  console.error(`fake cloud storage could not start: ${error.message}`);
  process.exit(1);
});
