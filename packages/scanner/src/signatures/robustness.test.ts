import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Scanner } from '../engine/Scanner';
import { parseBundle } from './bundle';
import { certificateExtensions } from './der';
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
      const findings = all.filter(f => f.ruleId.startsWith('MODEL-SIGNATURE'));
      if (findings.length > 0) continue;
      passed += 1;
      const parsed = parseBundle(mutated);
      const same =
        parsed.payload.equals(original.payload) &&
        parsed.signature.equals(original.signature) &&
        parsed.certificates[0].equals(certificate);
      if (!same) passedChanged.push(round);
    }
    expect(crashes).toEqual([]);
    expect(passedChanged).toEqual([]);
    expect(passed).toBeLessThan(150); // mutations did reach the verifier
  });

  it('reads extensions of truncated certificates without reading past the end', () => {
    const errors: string[] = [];
    for (let length = 0; length < certificate.length; length += 7) {
      try {
        certificateExtensions(certificate.subarray(0, length));
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.filter(message => !message.startsWith('DER: '))).toEqual([]);
    expect(
      certificateExtensions(certificate).has('1.3.6.1.4.1.57264.1.8'),
    ).toBe(true);
  });
});
