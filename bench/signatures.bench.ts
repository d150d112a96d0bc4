import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Scanner } from '../packages/scanner/src/engine/Scanner';
import { signatureAnalyzer } from '../packages/scanner/src/signatures';
import {
  makeBundle,
  newKey,
  statementFor,
} from '../packages/scanner/src/signatures/__testUtils__/signing';

/**
 * Signature verification of a multi-GB model (sparse shards) against `sha256sum` of the same
 * files and `openssl dgst -sha256`: verifying is hashing every signed byte, so hashing is the floor.
 * Prints one JSON line.
 *   node bench/run.js signatures [GiB per shard, default 1.5] [shards, default 2]
 */
const GB = 1024 ** 3;

async function sparse(path: string, bytes: number): Promise<void> {
  const handle = await open(path, 'w');
  await handle.write(Buffer.from('shard-header'), 0, 12, 0);
  await handle.truncate(bytes);
  await handle.close();
}

export async function main(args: string[]): Promise<void> {
  const shardGiB = Number(args[0] ?? '1.5');
  const shards = Number(args[1] ?? '2');
  const dir = await mkdtemp(join(tmpdir(), 'mlgov-sig-bench-'));
  try {
    const names: string[] = [];
    for (let i = 1; i <= shards; i++) {
      const name = `model-0000${i}-of-0000${shards}.safetensors`;
      await sparse(join(dir, name), Math.round(shardGiB * GB));
      names.push(name);
    }
    await writeFile(join(dir, 'config.json'), '{"model_type":"bench"}');
    names.push('config.json');

    // sha256sum is both the floor and the signer's digests (what `model_signing sign` computes).
    let start = process.hrtime.bigint();
    const sums = execFileSync('sha256sum', names, {
      cwd: dir,
      encoding: 'utf8',
    });
    const sha256sumSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    const digests = new Map(
      sums
        .trim()
        .split('\n')
        .map(line => [line.slice(66), line.slice(0, 64)] as const),
    );
    const key = newKey('ed25519');
    const statement = statementFor({});
    statement.predicate.resources = [...names]
      .sort()
      .map(name => ({ name, algorithm: 'sha256', digest: digests.get(name)! }));
    const root = createHash('sha256');
    for (const r of statement.predicate.resources)
      root.update(Buffer.from(r.digest, 'hex'));
    statement.subject[0].digest.sha256 = root.digest('hex');
    await writeFile(
      join(dir, 'model.sig'),
      makeBundle({ statement, key: key.privateKey }).json,
    );

    // coreutils sha256sum here has no SHA extensions; OpenSSL's digest (what node:crypto uses) is the real floor.
    start = process.hrtime.bigint();
    execFileSync('openssl', ['dgst', '-sha256', ...names], { cwd: dir });
    const opensslSeconds = Number(process.hrtime.bigint() - start) / 1e9;

    start = process.hrtime.bigint();
    const result = await new Scanner({
      readers: [],
      analyzers: [signatureAnalyzer],
      readerOptions: {
        signatures: { required: true, signers: [{ publicKey: key.publicPem }] },
      },
    }).scanPath(dir);
    const verifySeconds = Number(process.hrtime.bigint() - start) / 1e9;
    const findings = result.findings.filter(
      f =>
        f.ruleId.startsWith('MODEL-SIGNATURE') &&
        f.ruleId !== 'MODEL-SIGNATURE-VERIFIED',
    );
    const verified = result.findings.some(
      f => f.ruleId === 'MODEL-SIGNATURE-VERIFIED',
    );
    console.log(
      JSON.stringify({
        case: 'signature-verify',
        input: `${shards} × ${shardGiB} GiB sparse shards + config.json`,
        verifySeconds: Number(verifySeconds.toFixed(2)),
        sha256sumSeconds: Number(sha256sumSeconds.toFixed(2)),
        opensslDgstSeconds: Number(opensslSeconds.toFixed(2)),
        ratioToSha256sum: Number((verifySeconds / sha256sumSeconds).toFixed(2)),
        ratioToOpenssl: Number((verifySeconds / opensslSeconds).toFixed(2)),
        findings: findings.length,
        verified,
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
