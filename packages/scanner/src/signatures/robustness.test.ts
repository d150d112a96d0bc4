import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Scanner } from '../engine/Scanner';
import { decodeBundle } from './bundle';
import { signatureAnalyzer } from './signatureAnalyzer';
import {
  makeBundle,
  newKey,
  newTestCa,
  statementFor,
} from './__testUtils__/signing';

/** Deterministic PRNG so a failure reproduces. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('signature parsing on hostile input', () => {
  const files = { 'model.safetensors': 'weights', 'config.json': '{}' };
  const key = newKey('p256');
  const ca = newTestCa();
  const certificate = ca.issue(key, {
    email: 'a@example.com',
    issuer: 'https://idp.example',
  });
  const original = makeBundle({
    statement: statementFor(files),
    key: key.privateKey,
    certificates: [certificate],
  });
  const options = {
    trustedRoots: [ca.rootPem],
    signers: [{ subject: 'a@example.com', issuer: 'https://idp.example' }],
  };

  // 150 full verifications: about 1 s alone, several seconds on a loaded 2-core CI machine.
  it('never throws, and passes a mutated bundle only when the signed envelope is byte-identical', async () => {
    const next = random(16);
    const dir = await mkdtemp(join(tmpdir(), 'mlgov-sig-fuzz-'));
    for (const [name, content] of Object.entries(files))
      await writeFile(join(dir, name), content);
    const scanner = new Scanner({
      readers: [],
      analyzers: [signatureAnalyzer],
      readerOptions: { signatures: options },
    });
    const bytes = Buffer.from(original.json);
    // Control: the unmutated bundle passes, so a mutation that is not caught would be counted.
    await writeFile(join(dir, 'model.sig'), bytes);
    expect(
      (await scanner.scanPath(dir)).findings
        .filter(f => f.ruleId.startsWith('MODEL-SIGNATURE'))
        .map(f => f.ruleId),
    ).toEqual(['MODEL-SIGNATURE-VERIFIED']);
    const crashes: string[] = [];
    const passedChanged: number[] = [];
    let passed = 0;
    for (let round = 0; round < 150; round++) {
      const mutated = Buffer.from(bytes);
      for (let flips = 1 + Math.floor(next() * 3); flips > 0; flips--)
        mutated[Math.floor(next() * mutated.length)] = Math.floor(next() * 256);
      await writeFile(join(dir, 'model.sig'), mutated);
      const all = (await scanner.scanPath(dir)).findings;
      // The analyzer must turn every bad bundle into a signature finding, never crash (SCAN-ERROR).
      crashes.push(
        ...all.filter(f => f.ruleId === 'SCAN-ERROR').map(f => f.message),
      );
      // A problem is any signature finding but the informational VERIFIED record.
      const problems = all.filter(
        f =>
          f.ruleId.startsWith('MODEL-SIGNATURE') &&
          f.ruleId !== 'MODEL-SIGNATURE-VERIFIED',
      );
      if (problems.length > 0) continue;
      passed += 1;
      const { bundle, payload } = decodeBundle(mutated);
      const material = bundle.verificationMaterial.content;
      const same =
        payload.equals(original.payload) &&
        Buffer.from(bundle.content.dsseEnvelope.signatures[0].sig).equals(
          original.signature,
        ) &&
        material.$case === 'certificate' &&
        Buffer.from(material.certificate.rawBytes).equals(certificate);
      if (!same) passedChanged.push(round);
    }
    expect(crashes).toEqual([]);
    expect(passedChanged).toEqual([]);
    expect(passed).toBeLessThan(150); // mutations did reach the verifier
  }, 60_000);

  it('reports a truncated or garbled certificate as an invalid signature, never a crash', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlgov-sig-cert-'));
    for (const [name, content] of Object.entries(files))
      await writeFile(join(dir, name), content);
    const scanner = new Scanner({
      readers: [],
      analyzers: [signatureAnalyzer],
      readerOptions: { signatures: options },
    });
    const rules = new Set<string>();
    for (let length = 0; length < certificate.length; length += 23) {
      const bundle = JSON.parse(original.json);
      bundle.verificationMaterial.certificate.rawBytes = certificate
        .subarray(0, length)
        .toString('base64');
      await writeFile(join(dir, 'model.sig'), JSON.stringify(bundle));
      for (const finding of (await scanner.scanPath(dir)).findings)
        if (finding.ruleId !== 'SCAN-UNSUPPORTED') rules.add(finding.ruleId);
    }
    expect([...rules]).toEqual(['MODEL-SIGNATURE-INVALID']);
  });
});
