import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { ImageRegistryConfig } from '@ml-governance/scanner';

const HOST = /^[a-z0-9.-]+(?::\d{1,5})?$/;

/**
 * `mlGovernance.sources.registries` (see config.d.ts). Checked at start-up: a malformed host or key
 * is a configuration error, not a scan that silently contacts nothing.
 */
export function readImageRegistriesConfig(root: Config): ImageRegistryConfig[] {
  const entries =
    root.getOptionalConfigArray('mlGovernance.sources.registries') ?? [];
  return entries.map((entry, index) => {
    const key = `mlGovernance.sources.registries[${index}]`;
    const host = entry.getString('host').toLowerCase();
    if (!HOST.test(host))
      throw new InputError(
        `${key}.host must be a host or host:port, got ${host}`,
      );
    const username = entry.getOptionalString('username');
    const password = entry.getOptionalString('password');
    if ((username === undefined) !== (password === undefined))
      throw new InputError(`${key}: username and password go together`);
    const signatures = entry.getOptionalConfig('signatures');
    const publicKeys = signatures?.getOptionalStringArray('publicKeys') ?? [];
    for (const pem of publicKeys)
      if (!pem.includes('-----BEGIN PUBLIC KEY-----'))
        throw new InputError(
          `${key}.signatures.publicKeys: every entry must be a PEM public key`,
        );
    const optional = {
      username,
      password,
      insecure: entry.getOptionalBoolean('insecure'),
      additionalHosts: entry.getOptionalStringArray('additionalHosts'),
      timeoutMs: entry.getOptionalNumber('timeoutMs'),
    };
    return {
      host,
      ...Object.fromEntries(
        Object.entries(optional).filter(([, value]) => value !== undefined),
      ),
      ...(signatures
        ? {
            signatures: {
              required: signatures.getOptionalBoolean('required') ?? false,
              publicKeys,
            },
          }
        : {}),
    };
  });
}
