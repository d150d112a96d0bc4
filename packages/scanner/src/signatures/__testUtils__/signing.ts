import {
  createHash,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dsse } from '@sigstore/core';
import { IN_TOTO_PAYLOAD_TYPE, MODEL_SIGNING_PREDICATE } from '../bundle';

/**
 * Test-only signer: builds model-signing bundles the way `model_signing sign` lays them out, with
 * keys and a CA generated in the test (openssl for the certificates). Nothing is fetched.
 */

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicPem: string;
}

export function newKey(type: 'ed25519' | 'p256'): KeyPair {
  const pair =
    type === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    ...pair,
    publicPem: pair.publicKey
      .export({ type: 'spki', format: 'pem' })
      .toString(),
  };
}

export function signData(key: KeyObject, data: Buffer): Buffer {
  return key.asymmetricKeyType === 'ed25519'
    ? sign(null, data, key)
    : sign('sha256', data, key);
}

export const sha256Hex = (data: Buffer | string) =>
  createHash('sha256').update(data).digest('hex');

/** The v1.0 in-toto statement over these files (name → content), in name order. */
export function statementFor(
  files: Record<string, Buffer | string>,
  ignorePaths: string[] = ['model.sig'],
) {
  const resources = Object.keys(files)
    .sort()
    .map(name => ({
      name,
      algorithm: 'sha256',
      digest: sha256Hex(files[name]),
    }));
  const root = createHash('sha256');
  for (const r of resources) root.update(Buffer.from(r.digest, 'hex'));
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'model', digest: { sha256: root.digest('hex') } }],
    predicateType: MODEL_SIGNING_PREDICATE,
    predicate: {
      serialization: {
        method: 'files',
        hash_type: 'sha256',
        allow_symlinks: false,
        ignore_paths: ignorePaths,
      },
      resources,
    },
  };
}

export interface BundleParts {
  statement: object;
  key: KeyObject;
  /** DER certificates, leaf first; without them the bundle carries a public-key hint. */
  certificates?: Buffer[];
  tlogEntries?: object[];
  /** Bundle v0.2 with `x509CertificateChain` (every certificate) instead of v0.3's leaf only. */
  v02Chain?: boolean;
  /** Change the payload after signing (an attacker editing the manifest). */
  tamperPayload?: (payload: Buffer) => Buffer;
}

export function makeBundle(parts: BundleParts): {
  json: string;
  payload: Buffer;
  signature: Buffer;
} {
  const payload = Buffer.from(JSON.stringify(parts.statement));
  const signature = signData(
    parts.key,
    dsse.preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload),
  );
  const shipped = parts.tamperPayload ? parts.tamperPayload(payload) : payload;
  const certificates = parts.certificates ?? [];
  const verificationMaterial: Record<string, unknown> = {};
  if (certificates.length === 0)
    verificationMaterial.publicKey = { hint: 'test-key' };
  else if (parts.v02Chain)
    verificationMaterial.x509CertificateChain = {
      certificates: certificates.map(c => ({ rawBytes: c.toString('base64') })),
    };
  else
    verificationMaterial.certificate = {
      rawBytes: certificates[0].toString('base64'),
    };
  if (certificates.length > 0)
    verificationMaterial.tlogEntries = parts.tlogEntries ?? [];
  const json = JSON.stringify({
    // v0.2's media type has the parameter form; the `.v0.3+json` form starts with v0.3.
    mediaType: parts.v02Chain
      ? 'application/vnd.dev.sigstore.bundle+json;version=0.2'
      : 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial,
    dsseEnvelope: {
      payload: shipped.toString('base64'),
      payloadType: IN_TOTO_PAYLOAD_TYPE,
      signatures: [{ sig: signature.toString('base64') }],
    },
  });
  return { json, payload, signature };
}

/** A Rekor log's ID: SHA-256 of its public key (SPKI DER), as Rekor and trusted roots name it. */
export const logIdOf = (key: KeyObject) =>
  createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest();

export interface TestLog {
  key: KeyPair;
  /** The origin its checkpoints are signed under (a trusted root's `baseUrl` contains it). */
  origin: string;
}

export function newTestLog(origin = 'rekor.test.example'): TestLog {
  return { key: newKey('p256'), origin };
}

/**
 * A Rekor v1 `dsse` entry for this envelope as a v0.3 bundle carries it: a signed entry timestamp
 * (SET) and an inclusion proof in a one-leaf tree whose checkpoint the log signs. `setKey` and
 * `checkpointKey` default to the log's own key; pass another to forge either.
 */
export function logEntry(
  log: TestLog,
  payload: Buffer,
  signature: Buffer,
  integratedTime: number,
  forge: { setKey?: KeyObject; checkpointKey?: KeyObject } = {},
) {
  const bodyBytes = Buffer.from(
    JSON.stringify({
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: {
        payloadHash: { algorithm: 'sha256', value: sha256Hex(payload) },
        signatures: [{ signature: signature.toString('base64'), verifier: '' }],
      },
    }),
  );
  const body = bodyBytes.toString('base64');
  const logId = logIdOf(log.key.publicKey);
  // Keys sorted, no spaces: the canonical JSON the SET is computed over.
  const canonical = JSON.stringify({
    body,
    integratedTime,
    logID: logId.toString('hex'),
    logIndex: 0,
  });
  const rootHash = createHash('sha256')
    .update(Buffer.concat([Buffer.from([0]), bodyBytes]))
    .digest();
  const note = `${log.origin} - 1\n1\n${rootHash.toString('base64')}\n`;
  const noteSignature = Buffer.concat([
    logId.subarray(0, 4),
    signData(forge.checkpointKey ?? log.key.privateKey, Buffer.from(note)),
  ]);
  return {
    logIndex: '0',
    logId: { keyId: logId.toString('base64') },
    kindVersion: { kind: 'dsse', version: '0.0.1' },
    integratedTime: String(integratedTime),
    inclusionPromise: {
      signedEntryTimestamp: signData(
        forge.setKey ?? log.key.privateKey,
        Buffer.from(canonical),
      ).toString('base64'),
    },
    inclusionProof: {
      logIndex: '0',
      rootHash: rootHash.toString('base64'),
      treeSize: '1',
      hashes: [],
      checkpoint: {
        envelope: `${note}\n\u2014 ${log.origin} ${noteSignature.toString(
          'base64',
        )}\n`,
      },
    },
    canonicalizedBody: body,
  };
}

/** A Sigstore trusted_root.json (protobuf JSON) naming these CAs (DER chains, leaf side first) and logs. */
export function trustedRootJson(parts: {
  certificateAuthorities?: Buffer[][];
  tlogs?: TestLog[];
  ctlogs?: KeyPair[];
}) {
  const log = (key: KeyObject, baseUrl: string) => ({
    baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: {
      rawBytes: key.export({ type: 'spki', format: 'der' }).toString('base64'),
      keyDetails: 'PKIX_ECDSA_P256_SHA_256',
      validFor: { start: '2019-01-01T00:00:00Z' },
    },
    logId: { keyId: logIdOf(key).toString('base64') },
  });
  return {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: (parts.tlogs ?? []).map(t =>
      log(t.key.publicKey, `https://${t.origin}`),
    ),
    certificateAuthorities: (parts.certificateAuthorities ?? []).map(chain => ({
      subject: { organization: 'test', commonName: 'test' },
      uri: 'https://fulcio.test.example',
      certChain: {
        certificates: chain.map(der => ({ rawBytes: der.toString('base64') })),
      },
      validFor: { start: '2019-01-01T00:00:00Z' },
    })),
    ctlogs: (parts.ctlogs ?? []).map(k =>
      log(k.publicKey, 'https://ctfe.test.example'),
    ),
    timestampAuthorities: [],
  };
}

export interface TestCa {
  /** This CA's certificate (PEM): the root, or an intermediate made with `intermediate()`. */
  rootPem: string;
  /** This CA's certificate as DER, for bundles that carry the chain. */
  der: Buffer;
  /** A CA certificate issued by this one; its leaves chain through it. */
  intermediate(name: string): TestCa;
  /** Issues a code-signing leaf for `key` with a SAN e-mail and a Fulcio issuer extension. */
  issue(
    key: KeyPair,
    opts: { email: string; issuer: string; start?: string; end?: string },
  ): Buffer;
}

/** A throw-away CA made with the openssl CLI (node:crypto cannot issue certificates). */
export function newTestCa(
  name = 'Test Model Signing Root',
  parent?: { dir: string },
): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'mlgov-ca-'));
  const run = (...args: string[]) =>
    execFileSync('openssl', args, {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const rootKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  writeFileSync(
    join(dir, 'root.key'),
    rootKey.privateKey.export({ type: 'pkcs8', format: 'pem' }),
  );
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[ca]',
      'default_ca=ca_default',
      '[ca_default]',
      `dir=${dir}`,
      `database=${dir}/index.txt`,
      `new_certs_dir=${dir}`,
      `serial=${dir}/serial`,
      'default_md=sha256',
      'policy=any',
      'unique_subject=no',
      'email_in_dn=no',
      '[any]',
      'commonName=optional',
      '[root]',
      'basicConstraints=critical,CA:TRUE',
      'keyUsage=critical,keyCertSign,cRLSign',
      '',
    ].join('\n'),
  );
  run(
    'req',
    '-new',
    '-key',
    'root.key',
    '-subj',
    `/CN=${name}`,
    '-out',
    'root.csr',
  );
  // Through `openssl ca` so the CA can start in 2019 (openssl 3.0 req cannot backdate).
  const signer = parent
    ? [
        '-config',
        join(parent.dir, 'ca.cnf'),
        '-cert',
        join(parent.dir, 'root.pem'),
        '-keyfile',
        join(parent.dir, 'root.key'),
      ]
    : ['-config', 'ca.cnf', '-selfsign', '-keyfile', 'root.key'];
  run(
    'ca',
    '-batch',
    ...signer,
    '-in',
    'root.csr',
    '-out',
    'root.pem',
    '-extensions',
    'root',
    '-notext',
    '-startdate',
    '20190101000000Z',
    '-enddate',
    '20450101000000Z',
  );
  const toDer = (pem: string) =>
    Buffer.from(
      pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''),
      'base64',
    );
  const rootPem = readFileSync(join(dir, 'root.pem'), 'utf8').replace(
    /^[\s\S]*?(?=-----BEGIN)/,
    '',
  );
  let counter = 0;
  return {
    rootPem,
    der: toDer(rootPem),
    intermediate: (subName: string) => newTestCa(subName, { dir }),
    issue(key, opts) {
      counter += 1;
      const base = `leaf${counter}`;
      writeFileSync(
        join(dir, `${base}.key`),
        key.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      );
      writeFileSync(
        join(dir, `${base}.ext`),
        [
          '[leaf]',
          'basicConstraints=critical,CA:FALSE',
          'keyUsage=critical,digitalSignature',
          'extendedKeyUsage=codeSigning',
          `subjectAltName=email:${opts.email}`,
          `1.3.6.1.4.1.57264.1.8=ASN1:UTF8String:${opts.issuer}`,
          '',
        ].join('\n'),
      );
      run(
        'req',
        '-new',
        '-key',
        `${base}.key`,
        '-subj',
        `/CN=${base}`,
        '-out',
        `${base}.csr`,
      );
      const validity =
        opts.start && opts.end
          ? ['-startdate', opts.start, '-enddate', opts.end]
          : ['-days', '1'];
      run(
        'ca',
        '-batch',
        '-config',
        'ca.cnf',
        '-extfile',
        `${base}.ext`,
        '-cert',
        'root.pem',
        '-keyfile',
        'root.key',
        '-in',
        `${base}.csr`,
        '-out',
        `${base}.pem`,
        '-extensions',
        'leaf',
        '-notext',
        ...validity,
      );
      const pem = readFileSync(join(dir, `${base}.pem`), 'utf8');
      return Buffer.from(
        pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''),
        'base64',
      );
    },
  };
}
