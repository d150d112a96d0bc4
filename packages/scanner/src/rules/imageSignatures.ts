import type { Rule } from '../model/rule';

const SIGN =
  'Sign the pushed digest with cosign: `cosign sign --key cosign.key <registry>/<repo>@sha256:<digest>` (sign the digest, never a tag), and configure the matching `cosign.pub`';

/** Cosign signatures on image manifest digests (`sha256-<hex>.sig` tags). */
export const IMAGE_SIGNATURE_RULES: Rule[] = [
  {
    id: 'IMAGE-SIGNATURE-MISSING',
    title: 'Image is not signed',
    category: 'provenance',
    severity: 'high',
    cwe: ['CWE-345', 'CWE-494'],
    owaspLlm: ['LLM03:2025'],
    description:
      'Image signatures are required (`requireImageSignature` / `--require-image-signature`) and the registry holds no cosign signature (`sha256-<digest>.sig`) for the scanned manifest digest. Nobody vouches that this is the image the build produced.',
    fix: `${SIGN}.`,
    docsAnchor: 'image-signature-missing',
  },
  {
    id: 'IMAGE-SIGNATURE-INVALID',
    title: 'Image signature is not for this image',
    category: 'provenance',
    severity: 'high',
    cwe: ['CWE-347'],
    owaspLlm: ['LLM03:2025'],
    description:
      'A cosign signature exists but its verified payload names another manifest digest or repository (the manifest was changed after signing, or a signature was copied from another image), or the signature manifest or payload cannot be read. A signature that does not bind this digest counts as none.',
    fix: `Find out why the digest changed; if the new manifest is yours, review it and sign it again: ${SIGN}.`,
    docsAnchor: 'image-signature-invalid',
  },
  {
    id: 'IMAGE-SIGNATURE-UNTRUSTED-SIGNER',
    title: 'Image signed by a key that is not configured',
    category: 'provenance',
    severity: 'high',
    cwe: ['CWE-345'],
    owaspLlm: ['LLM03:2025'],
    description:
      'The image has a cosign signature, but it verifies with none of the configured public keys: another signer, or a payload altered after signing.',
    fix: `Add the producer's cosign.pub to the image signature keys once checked out of band, or have the image signed with a configured key: ${SIGN}.`,
    docsAnchor: 'image-signature-untrusted-signer',
  },
  {
    id: 'IMAGE-SIGNATURE-VERIFIED',
    title: 'Image signature verified',
    category: 'provenance',
    severity: 'info',
    cwe: [],
    owaspLlm: [],
    description:
      'Informational: a cosign signature on the scanned manifest digest verifies with a configured key and names this digest and repository. The finding carries the signer key fingerprint for the provenance panel.',
    fix: 'Nothing to do. Keep signing digests in the release pipeline.',
    docsAnchor: 'image-signature-verified',
  },
];
