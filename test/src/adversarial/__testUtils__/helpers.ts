/**
 * Shared helpers for the red-team suite: scan through the fully assembled scanner (every built-in
 * reader and analyzer, exactly as users run it), and small writers for the formats the scanner
 * package has no exported test writer for (npy, safetensors, GGUF, gzip).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  createScanner,
  type Finding,
  type ScanLimits,
  type ScanResult,
} from '@ml-governance/scanner';

// The scanner package's own test writers are not exported; the brief is to reuse them, not copy them.
/* eslint-disable @backstage/no-relative-monorepo-imports */
import { PickleWriter } from '../../../../packages/scanner/src/formats/pickle/testing/pickleWriter';

export { PickleWriter };
export { concatBytes } from '../../../../packages/scanner/src/formats/pickle/testing/pickleWriter';
export {
  buildZip,
  pytorchZipSpec,
  type ZipEntrySpec,
} from '../../../../packages/scanner/src/formats/archive/testing/zipWriter';
export { buildTar } from '../../../../packages/scanner/src/formats/archive/testing/tarWriter';
export { message as protoMessage } from '../../../../packages/scanner/src/formats/models/protobuf/__testUtils__/ProtoWriter';

/* eslint-enable @backstage/no-relative-monorepo-imports */

export function scanBytes(
  bytes: Uint8Array,
  name: string,
  limits: Partial<ScanLimits> = {},
): Promise<ScanResult> {
  return createScanner({ limits }).scanBytes(bytes, name);
}

/** Writes `files` (relative path → content) into a fresh temp folder, scans the folder, removes it. */
export async function scanTree(
  files: Record<string, Uint8Array | string>,
  limits: Partial<ScanLimits> = {},
): Promise<ScanResult> {
  const root = mkdtempSync(join(tmpdir(), 'mlgov-adversarial-'));
  try {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    return await createScanner({ limits }).scanPath(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export const isBlocking = (finding: Finding) =>
  finding.severity === 'critical' || finding.severity === 'high';
export const blocking = (result: ScanResult) =>
  result.findings.filter(isBlocking);

/** One line per finding: assertion failures then show what the scanner said instead. */
export const summary = (result: ScanResult) =>
  result.findings.map(
    f =>
      `${f.severity} ${f.ruleId} ${String(f.evidence.symbol ?? '')} @${[
        f.location.path,
        ...(f.location.entry ?? []),
      ].join('!')}`,
  );

/** The release is blocked with `ruleId`, and (when given) the evidence names `symbol`. */
export function expectBlockedBy(
  result: ScanResult,
  ruleId: string,
  symbol?: string,
): void {
  const hits = blocking(result).filter(
    f =>
      f.ruleId === ruleId &&
      (symbol === undefined || f.evidence.symbol === symbol),
  );
  if (hits.length === 0) {
    // Fail with the scanner's actual findings in the message.
    expect({
      wanted: `${ruleId} ${symbol ?? ''}`.trim(),
      got: summary(result),
    }).toEqual({ wanted: 'a blocking finding', got: [] });
  }
}

/** Blocked for any reason (used where several rules would be right). */
export function expectBlocked(result: ScanResult): void {
  expect(blocking(result).length === 0 ? summary(result) : 'blocked').toBe(
    'blocked',
  );
}

export function expectNotBlocked(result: ScanResult): void {
  expect(blocking(result).map(f => `${f.ruleId}: ${f.message}`)).toEqual([]);
}

export const ruleIds = (result: ScanResult) =>
  [...new Set(result.findings.map(f => f.ruleId))].sort();

// ---------------------------------------------------------------- payloads

/** `os.system("id")` + REDUCE: the textbook payload (GLOBAL below protocol 4, STACK_GLOBAL from 4). */
export function osSystemPickle(protocol = 4): Uint8Array {
  return PickleWriter.create()
    .proto(protocol)
    .call('os', 'system', 'id', protocol >= 4 ? 'STACK_GLOBAL' : 'GLOBAL')
    .stop()
    .bytes();
}

// ---------------------------------------------------------------- format writers

export const gzip = (bytes: Uint8Array) => new Uint8Array(gzipSync(bytes));

/** A NumPy `.npy` v1.0 file: the header dict padded so the data starts 64-byte aligned. */
export function npy(
  descr: string,
  shape: number[],
  body: Uint8Array,
  fortran = false,
): Uint8Array {
  const shapeText =
    shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${
    fortran ? 'True' : 'False'
  }, 'shape': ${shapeText}, }`;
  const unpadded = 10 + header.length + 1;
  header += `${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), body]);
}

/** A safetensors file: 8-byte little-endian header length, JSON header, data. */
export function safetensors(header: object, data: Uint8Array): Uint8Array {
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, json, data]);
}

/** A GGUF v3 header with string metadata and one tensor description, then alignment padding. */
export function gguf(metadata: Record<string, string>): Uint8Array {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    parts.push(b);
  };
  const u64 = (n: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    parts.push(b);
  };
  const str = (s: string) => {
    u64(Buffer.byteLength(s));
    parts.push(Buffer.from(s));
  };
  parts.push(Buffer.from('GGUF'));
  u32(3);
  u64(1);
  u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    str(key);
    u32(8);
    str(value);
  }
  str('token_embd.weight');
  u32(1);
  u64(4);
  u32(0);
  u64(0);
  parts.push(Buffer.alloc(64));
  return Buffer.concat(parts);
}
