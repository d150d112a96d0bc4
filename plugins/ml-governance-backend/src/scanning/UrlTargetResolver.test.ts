import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { NotModifiedError } from '@backstage/errors';
import { UrlTargetResolver } from './UrlTargetResolver';

describe('UrlTargetResolver', () => {
  it('extracts the tree into a temporary directory that cleanup removes', async () => {
    const urlReader = mockServices.urlReader.mock({
      readTree: async () => ({
        etag: 'etag-1',
        files: async () => [],
        archive: async () => {
          throw new Error('unused');
        },
        dir: async ({ targetDir } = {}) => {
          writeFileSync(join(targetDir!, 'model.pkl'), 'bytes');
          return targetDir!;
        },
      }),
    });
    const resolved = await new UrlTargetResolver(urlReader).resolve(
      'url:https://github.com/acme/m/tree/main/models',
      {},
    );
    if (resolved.unchanged) throw new Error('expected a fresh tree');
    expect(resolved.digest).toBe('etag-1');
    expect(readFileSync(join(resolved.path, 'model.pkl'), 'utf8')).toBe(
      'bytes',
    );
    expect(urlReader.readTree).toHaveBeenCalledWith(
      'https://github.com/acme/m/tree/main/models',
      { etag: undefined },
    );
    await resolved.cleanup();
    expect(existsSync(resolved.path)).toBe(false);
  });

  it('reports an unchanged tree without downloading it', async () => {
    const urlReader = mockServices.urlReader.mock({
      readTree: async () => {
        throw new NotModifiedError('same etag');
      },
    });
    await expect(
      new UrlTargetResolver(urlReader).resolve('url:https://x/y', {
        previousDigest: 'etag-1',
      }),
    ).resolves.toEqual({
      unchanged: true,
      digest: 'etag-1',
    });
  });

  it('lets read errors (e.g. no integration for the host) reach the scan, which records them', async () => {
    const urlReader = mockServices.urlReader.mock({
      readTree: async () => {
        throw new Error('Reading from https://evil.example is not allowed');
      },
    });
    await expect(
      new UrlTargetResolver(urlReader).resolve(
        'url:https://evil.example/m',
        {},
      ),
    ).rejects.toThrow(/not allowed/);
  });
});
