/** Hostile signature manifests against checkImageSignature, over an in-memory registry store. */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import {
  COSIGN_SIGNATURE_ANNOTATION,
  SIMPLE_SIGNING_MEDIA_TYPE,
  checkImageSignature,
  signatureTag,
  simpleSigningPayload,
} from './cosign';
import { DEFAULT_IMAGE_LIMITS, ImageReadError } from './limits';
import type { RegistryStore } from './registry';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const { privateKey, publicKey } = generateKeyPairSync('ec', {
  namedCurve: 'prime256v1',
});
const PUB = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const digestOf = (bytes: Uint8Array) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A store holding one signature manifest (or raw bytes) under the digest's .sig tag. */
function storeWith(
  manifest: object | string | undefined,
  blobs: Uint8Array[] = [],
): RegistryStore {
  const byDigest = new Map(blobs.map(b => [digestOf(b), b]));
  return {
    host: 'registry.test',
    repository: 'ml/app',
    requests: 0,
    bytesRead: 0,
    async topFile() {
      return undefined;
    },
    async path() {
      return undefined;
    },
    async pathStream() {
      return undefined;
    },
    async blobStream() {
      throw new Error('signature checks read no layer');
    },
    async blob(digest) {
      const found = byDigest.get(digest);
      if (!found)
        throw new ImageReadError(`blob ${digest}: registry answered 404`);
      return found;
    },
    async manifestIfPresent(reference) {
      if (reference !== signatureTag(DIGEST) || manifest === undefined)
        return undefined;
      const bytes = Buffer.from(
        typeof manifest === 'string' ? manifest : JSON.stringify(manifest),
      );
      return { digest: digestOf(bytes), bytes };
    },
  };
}

function signatureLayer(payload: Buffer, signature?: string) {
  return {
    mediaType: SIMPLE_SIGNING_MEDIA_TYPE,
    digest: digestOf(payload),
    size: payload.length,
    annotations: {
      [COSIGN_SIGNATURE_ANNOTATION]:
        signature ?? sign('sha256', payload, privateKey).toString('base64'),
    },
  };
}

const check = (store: RegistryStore, required = true) =>
  checkImageSignature(
    store,
    DIGEST,
    { required, publicKeys: [PUB] },
    { ...DEFAULT_IMAGE_LIMITS, maxJsonBytes: 4096 },
  );
const rules = async (store: RegistryStore, required = true) =>
  (await check(store, required)).map(s => s.ruleId);

describe('cosign signatures on hostile input', () => {
  const payload = simpleSigningPayload('registry.test/ml/app', DIGEST);

  it('accepts the well-formed signature, as a control', async () => {
    expect(
      await rules(storeWith({ layers: [signatureLayer(payload)] }, [payload])),
    ).toEqual(['IMAGE-SIGNATURE-VERIFIED']);
  });

  it.each([
    ['not JSON', '{"layers": ['],
    ['no layers', { schemaVersion: 2 }],
    [
      'layers of another media type',
      { layers: [{ mediaType: 'x', digest: DIGEST }] },
    ],
    [
      'more than 32 signature layers',
      { layers: Array.from({ length: 33 }, () => signatureLayer(payload)) },
    ],
  ])('a signature manifest with %s is invalid', async (_, manifest) => {
    expect(await rules(storeWith(manifest, [payload]))).toEqual([
      'IMAGE-SIGNATURE-INVALID',
    ]);
  });

  it('a payload blob that is missing, or larger than maxJsonBytes (actual or declared), fails', async () => {
    expect(
      await rules(storeWith({ layers: [signatureLayer(payload)] })),
    ).toEqual(['IMAGE-SIGNATURE-INVALID']);
    const big = Buffer.concat([payload, Buffer.alloc(5000, 32)]);
    expect(
      await rules(storeWith({ layers: [signatureLayer(big)] }, [big])),
    ).toEqual(['IMAGE-SIGNATURE-INVALID']);
    const declaredBig = { ...signatureLayer(payload), size: 1e12 };
    expect(
      await rules(storeWith({ layers: [declaredBig] }, [payload])),
    ).toEqual(['IMAGE-SIGNATURE-INVALID']);
  });

  it('a missing, non-base64 or truncated signature never verifies', async () => {
    const noAnnotation = { ...signatureLayer(payload), annotations: {} };
    expect(
      await rules(storeWith({ layers: [noAnnotation] }, [payload])),
    ).toEqual(['IMAGE-SIGNATURE-INVALID']);
    expect(
      await rules(
        storeWith({ layers: [signatureLayer(payload, 'not base64!')] }, [
          payload,
        ]),
      ),
    ).toEqual(['IMAGE-SIGNATURE-INVALID']);
    const truncated = sign('sha256', payload, privateKey)
      .subarray(0, 20)
      .toString('base64');
    expect(
      await rules(
        storeWith({ layers: [signatureLayer(payload, truncated)] }, [payload]),
      ),
    ).toEqual(['IMAGE-SIGNATURE-UNTRUSTED-SIGNER']);
  });

  it('a validly signed payload that is not a cosign image signature is invalid', async () => {
    for (const claims of [
      '[]',
      '{"critical":{"type":"something else"}}',
      JSON.stringify({
        critical: {
          type: 'cosign container image signature',
          image: { 'docker-manifest-digest': DIGEST },
          identity: { 'docker-reference': 'registry.test/ml/other' },
        },
      }),
    ]) {
      const signed = Buffer.from(claims);
      expect(
        await rules(storeWith({ layers: [signatureLayer(signed)] }, [signed])),
      ).toEqual(['IMAGE-SIGNATURE-INVALID']);
    }
  });

  it('one valid signature among broken ones verifies; none at all is missing only when required', async () => {
    const broken = { ...signatureLayer(payload), annotations: {} };
    expect(
      await rules(
        storeWith({ layers: [broken, signatureLayer(payload)] }, [payload]),
      ),
    ).toEqual(['IMAGE-SIGNATURE-VERIFIED']);
    expect(await rules(storeWith(undefined))).toEqual([
      'IMAGE-SIGNATURE-MISSING',
    ]);
    expect(await rules(storeWith(undefined), false)).toEqual([]);
  });
});
