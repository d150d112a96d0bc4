/** `mlgov scan oci-archive:<file.tar> | docker-archive:<file.tar> | oci-layout:<dir>`. */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Scanner } from '../engine/Scanner';
import type { ScanResult } from '../model/finding';
import { DEFAULT_IMAGE_LIMITS } from './limits';
import {
  openImageStore,
  parseImageTarget,
  scanImage,
  type ImageTarget,
} from './scanImage';

export { parseImageTarget };

export class ImageTargetError extends Error {}

export async function scanImageTarget(
  spec: string,
  target: ImageTarget,
  cwd: string,
  scanner: Scanner,
  ignore?: readonly string[],
): Promise<ScanResult> {
  const path = resolve(cwd, target.path);
  const info = await stat(path).catch(() => undefined);
  if (!info)
    throw new ImageTargetError(`${target.path}: no such file or directory`);
  if (target.kind === 'oci-layout' ? !info.isDirectory() : !info.isFile())
    throw new ImageTargetError(
      `${target.path}: expected ${
        target.kind === 'oci-layout'
          ? 'an OCI layout directory'
          : 'an image tarball'
      }`,
    );
  const resolved = { ...target, path };
  return scanImage(
    spec,
    await openImageStore(resolved, DEFAULT_IMAGE_LIMITS),
    scanner,
    { ignore },
  );
}
