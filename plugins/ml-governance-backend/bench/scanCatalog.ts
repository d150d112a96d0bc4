/*
 * Scan time of a generated catalog (default 1,000 entities, each with a small file target) and of the
 * repository's example models, through the real ScanService, store and scanner.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/scanCatalog.ts [entities]
 *   MLGOV_BENCH_PG=postgresql://postgres:postgres@127.0.0.1:5432 node --require … bench/scanCatalog.ts
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DatabaseMlGovernanceStore } from '../src/database/DatabaseMlGovernanceStore';
import { PolicyRegistry } from '../src/policy/PolicyRegistry';
import { DefaultArtifactScanner } from '../src/scanning/ArtifactScanner';
import { FileTargetResolver } from '../src/scanning/FileTargetResolver';
import { DecisionService } from '../src/service/DecisionService';
import { silentNotifier as quiet } from '../src/__testUtils__/silentNotifier';
import { MALICIOUS_PICKLE, modelEntity } from '../src/__testUtils__/testData';
import { ScanService } from '../src/service/ScanService';
import { benchDatabase, benchLogger, formatMs } from './benchUtils';

const BENIGN = Buffer.from(
  '\x80\x02}q\x00(X\x01\x00\x00\x00aq\x01K\x01X\x01\x00\x00\x00bq\x02K\x02u.',
  'latin1',
);

function entity(name: string, catalogFile: string, artifacts: string): Entity {
  return modelEntity({
    name,
    owner: `group:default/team-${name.length % 20}`,
    catalogFile,
    artifacts,
  });
}

function generateCatalog(root: string, count: number): Entity[] {
  const entities: Entity[] = [];
  for (let i = 0; i < count; i++) {
    const dir = join(root, `model-${i}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'model.pkl'),
      i % 10 === 0 ? MALICIOUS_PICKLE : BENIGN,
    );
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ architectures: ['Bench'], id: i }),
    );
    writeFileSync(
      join(dir, 'requirements.txt'),
      'numpy==1.26.4\nscikit-learn==1.4.2\n',
    );
    entities.push(
      entity(
        `model-${i}`,
        join(root, 'catalog-info.yaml'),
        `file:./model-${i}`,
      ),
    );
  }
  return entities;
}

async function timeCatalog(
  label: string,
  entities: Entity[],
  allowedRoot: string,
  concurrency: number,
) {
  const db = await benchDatabase();
  try {
    const store = await DatabaseMlGovernanceStore.create({
      database: db.database,
    });
    const policies = new PolicyRegistry({});
    const clock = () => new Date();
    const scans = new ScanService({
      store,
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      logger: benchLogger,
      scanner: new DefaultArtifactScanner(),
      resolvers: [new FileTargetResolver({ allowedRoots: [allowedRoot] })],
      policies,
      decisions: new DecisionService(store, policies, clock),
      notifier: quiet,
      clock,
      concurrency,
      leaseMs: 30_000,
    });
    let start = performance.now();
    const synced = await scans.syncCatalog();
    const syncMs = performance.now() - start;
    await scans.requestFullScan();
    start = performance.now();
    const first = await scans.runScanRound();
    const fullMs = performance.now() - start;
    await new Promise(r => setTimeout(r, 5));
    await scans.requestFullScan();
    start = performance.now();
    const second = await scans.runScanRound();
    const incrementalMs = performance.now() - start;
    const decisions = await store.teamOverviews();
    const blocked = decisions.reduce((sum, t) => sum + t.decisions.BLOCK, 0);
    console.log(
      `${label} on ${
        db.engine
      }, concurrency ${concurrency}: ${synced} entities synced in ${formatMs(
        syncMs,
      )}; ` +
        `full round ${formatMs(fullMs)} (${first.length} scanned, ${(
          fullMs / Math.max(1, first.length)
        ).toFixed(2)} ms/entity, ${blocked} BLOCK); ` +
        `incremental round ${formatMs(incrementalMs)} (${
          second.length
        } entities, all targets unchanged)`,
    );
  } finally {
    await db.close();
  }
}

async function main() {
  const count = Number(process.argv[2] ?? 1000);
  const concurrency = Number(process.env.MLGOV_BENCH_CONCURRENCY ?? 4);
  const root = mkdtempSync(join(tmpdir(), 'mlgov-bench-catalog-'));
  try {
    await timeCatalog(
      `Generated catalog (${count})`,
      generateCatalog(root, count),
      root,
      concurrency,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }

  const examples = resolve(__dirname, '../../../examples');
  const exampleEntities: Entity[] = [];
  for (const folder of ['models', 'services']) {
    let names: string[] = [];
    try {
      names = readdirSync(join(examples, folder));
    } catch {
      continue;
    }
    for (const name of names) {
      exampleEntities.push(
        entity(
          `${folder}-${name}`,
          join(examples, 'catalog.yaml'),
          `file:./${folder}/${name}`,
        ),
      );
    }
  }
  if (exampleEntities.length > 0) {
    await timeCatalog(
      `Example catalog (${exampleEntities.length} targets under examples/)`,
      exampleEntities,
      examples,
      concurrency,
    );
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
