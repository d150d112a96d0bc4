/**
 * Applies layers in order the way the OCI image spec says a runtime does, so the scan sees the final
 * filesystem: `.wh.<name>` deletes `<name>` from lower layers, `.wh..wh..opq` empties its directory
 * of everything lower layers put there. Files deleted by a later layer are not scanned: they are not
 * in the container (the bytes remain in the image; that is a size problem, not a runtime one).
 */
import type { LayerEntry } from './layerEntries';

export interface FinalFile {
  kind: 'file' | 'symlink' | 'hardlink' | 'dir' | 'other';
  /** Spool file holding a regular file's bytes (see layerEntries.ts). */
  spill?: string;
  size?: number;
  linkName?: string;
  /** Index of the layer that wrote it, to say where a finding came from. */
  layer: number;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function removeTree(
  tree: Map<string, FinalFile>,
  path: string,
  keepRoot: boolean,
) {
  const prefix = path === '' ? '' : `${path}/`;
  for (const key of [...tree.keys()]) {
    if (key.startsWith(prefix) || (!keepRoot && key === path)) tree.delete(key);
  }
}

export function applyLayer(
  tree: Map<string, FinalFile>,
  entries: readonly LayerEntry[],
  layer: number,
): void {
  // Whiteouts apply to lower layers only, so process them before this layer's own additions.
  for (const entry of entries) {
    const base = baseOf(entry.path);
    if (base === OPAQUE) {
      const dir = parentOf(entry.path);
      for (const [key, file] of [...tree.entries()]) {
        if (file.layer < layer && (dir === '' || key.startsWith(`${dir}/`)))
          tree.delete(key);
      }
    } else if (base.startsWith(WHITEOUT)) {
      const dir = parentOf(entry.path);
      const target = `${dir ? `${dir}/` : ''}${base.slice(WHITEOUT.length)}`;
      removeTree(tree, target, false);
    }
  }
  for (const entry of entries) {
    if (baseOf(entry.path).startsWith(WHITEOUT)) continue;
    const existing = tree.get(entry.path);
    // A non-directory replacing a directory replaces its whole subtree.
    if (existing?.kind === 'dir' && entry.kind !== 'dir')
      removeTree(tree, entry.path, true);
    tree.set(entry.path, {
      kind: entry.kind,
      spill: entry.spill,
      size: entry.size,
      linkName: entry.linkName,
      layer,
    });
  }
}
