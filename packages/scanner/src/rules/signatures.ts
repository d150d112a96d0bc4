import type { Rule } from '../model/rule';

const SIGN =
  'Sign the whole model folder with the OpenSSF model-signing tool: `model_signing sign key <model dir> --private_key key.pem --signature <model dir>/model.sig` (or `sign certificate`, or keyless `sign sigstore`; `python -m model_signing sign ...` works too)';

/** Model signatures in the OpenSSF model-signing format (`model.sig`, a Sigstore bundle). */
export const SIGNATURE_RULES: Rule[] = [
  {
    id: 'MODEL-SIGNATURE-MISSING',
    title: 'Model is not signed',
    category: 'provenance',
    severity: 'high',
    cwe: ['CWE-345', 'CWE-494'],
    owaspLlm: ['LLM03:2025'],
    description:
      'The policy sets `signatures.require_signature`, and a folder with model weights has no `model.sig`. Without a signature nobody can tell whether these are the weights the producer released. Reported only when signatures are required.',
    fix: `${SIGN}, and ship model.sig with the model.`,
    docsAnchor: 'model-signature-missing',
  },
  {
    id: 'MODEL-SIGNATURE-INVALID',
    title: 'Model signature does not verify',
    category: 'provenance',
    severity: 'high',
    cwe: ['CWE-347'],
    owaspLlm: ['LLM03:2025'],
    description:
      '`model.sig` is not a Sigstore bundle carrying a model-signing in-toto statement, its DSSE signature does not verify over the payload, a certificate of its chain is not valid at the signing time (expired or not yet valid), or the statement is inconsistent (subject digest, names leaving the folder, digests other than sha256). A signature that cannot be verified counts as no signature.',
    fix: `Re-sign the model from the reviewed files: ${SIGN}. If the certificate expired before the signature was logged, sign again with a fresh one.`,
    docsAnchor: 'model-signature-invalid',
  },
  {
    id: 'MODEL-SIGNATURE-MISMATCH',
    title: 'Model file differs from its signature',
    category: 'provenance',
    severity: 'critical',
    cwe: ['CWE-345', 'CWE-354'],
    owaspLlm: ['LLM03:2025', 'LLM04:2025'],
    description:
      'The signature verifies, but a file it lists has another SHA-256 than the signed one, or is missing. The model was changed after signing: tampering, a broken transfer or an unsigned re-export.',
    fix: `Fetch the model again from its producer and compare; if the change is yours, review it and re-sign: ${SIGN}.`,
    docsAnchor: 'model-signature-mismatch',
  },
  {
    id: 'MODEL-SIGNATURE-UNTRUSTED-SIGNER',
    title: 'Model signed by a signer the policy does not allow',
    category: 'provenance',
    severity: 'high',
    cwe: ['CWE-345'],
    owaspLlm: ['LLM03:2025'],
    description:
      'The signature is from a key that is not in `signatures.signers`, from a certificate whose chain does not end at a root in `signatures.trusted_roots`, or from a certificate whose identity (SAN e-mail or URI and OIDC issuer) is not an allowed signer. Anyone can sign a model; only the identity makes the signature mean something.',
    fix: `Add the producer's public key or certificate identity (subject and issuer) to \`signatures.signers\` once you have checked it out of band, or have the model signed by an allowed identity: ${SIGN}.`,
    docsAnchor: 'model-signature-untrusted-signer',
  },
  {
    id: 'MODEL-SIGNATURE-EXTRA-FILE',
    title: 'Unsigned file beside a signed model',
    category: 'provenance',
    severity: 'high',
    cwe: ['CWE-345'],
    owaspLlm: ['LLM03:2025'],
    description:
      'A file a loader reads (weights, config, tokenizer, template, Python code) sits in a signed model folder but is not listed in the signature and not in its signed ignore_paths. Loaders pick such files up (an extra shard, a replaced `tokenizer_config.json`, `modeling_*.py` for remote code) even though every signed file still matches.',
    fix: `Remove the file, or review it and re-sign the whole folder so it is covered: ${SIGN}.`,
    docsAnchor: 'model-signature-extra-file',
  },
  {
    id: 'MODEL-SIGNATURE-VERIFIED',
    title: 'Model signature verified',
    category: 'provenance',
    severity: 'info',
    cwe: [],
    owaspLlm: [],
    description:
      'Informational: `model.sig` verifies with an allowed signer and every signed file matches its signed digest. The finding records who signed, when (for certificates) and how many files, for the provenance panel; mismatches and extra files are reported by their own rules.',
    fix: 'Nothing to do. Re-sign whenever the model files change.',
    docsAnchor: 'model-signature-verified',
  },
];
