import { open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Policy } from '../policy/types';
import type * as TrustMaterial from '../signatures/trustMaterial';
import { UsageError } from './exitCodes';

/** A Sigstore trusted_root.json is a few kB; anything this large is not one. */
export const MAX_TRUSTED_ROOT_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Loads `signatures.trusted_root_file` (a path relative to the policy file) into the policy's
 * `trustedRoot`. An unreadable, oversized or non-JSON file stops the scan as a usage error: a
 * policy whose trust material cannot be read must not fall back to verifying with less.
 */
export async function loadTrustedRootFile(
  policy: Policy,
  policyPath: string,
): Promise<void> {
  const signatures = policy.signatures;
  const file = signatures?.trustedRootFile;
  if (!signatures || file === undefined) return;
  if (signatures.trustedRoot !== undefined)
    throw new UsageError(
      'the policy gives both signatures.trusted_root and signatures.trusted_root_file; keep one',
    );
  const path = resolve(dirname(policyPath), file);
  let text: string;
  try {
    const handle = await open(path, 'r');
    try {
      // Read one byte past the limit: a file that fills it is refused, whatever stat says.
      const buffer = Buffer.alloc(MAX_TRUSTED_ROOT_FILE_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      if (bytesRead > MAX_TRUSTED_ROOT_FILE_BYTES)
        throw new UsageError(
          `signatures.trusted_root_file ${file} is larger than ${MAX_TRUSTED_ROOT_FILE_BYTES} bytes`,
        );
      text = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `cannot read signatures.trusted_root_file ${file}: ${
        (error as NodeJS.ErrnoException).code ?? (error as Error).message
      }`,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `signatures.trusted_root_file ${file} is not JSON: ${
        (error as Error).message
      }`,
    );
  }
  // Checked now, as an inline trusted_root is when the policy is read; the Sigstore libraries load
  // only for a policy that names one.
  const { parseTrustedRoot } =
    require('../signatures/trustMaterial') as typeof TrustMaterial;
  try {
    parseTrustedRoot(document);
  } catch (error) {
    throw new UsageError(
      `signatures.trusted_root_file ${file}: ${(error as Error).message}`,
    );
  }
  signatures.trustedRoot = document;
}
