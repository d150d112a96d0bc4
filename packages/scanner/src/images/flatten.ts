/**
 * Applies layers in order the way the OCI image spec says a runtime does, so the scan sees the final
 * filesystem: `.wh.<name>` deletes `<name>` from lower layers, `.wh..wh..opq` empties its directory
 * of everything lower layers put there. Files deleted by a later layer are not scanned: they are not
 * in the container (the bytes remain in the image; that is a size problem, not a runtime one).
 *
 * A hard link is resolved when its layer is applied, as an extractor links the inode then: it keeps
 * those bytes even when a later layer deletes or replaces the name it linked to. A link naming
 * something outside the image or missing from it is a problem (a runtime cannot extract that layer),
 * never a read of the scanning host. Symlinks are recorded, never followed: a file a layer writes
 * "through" a symlinked folder is kept at the path the tar names.
 */
import { normaliseLayerPath, shownPath, type LayerEntry } from './layerEntries';

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

/** Every folder that has something below it in the tree (for "a file replaces a folder"). */
function foldersOf(tree: Map<string, FinalFile>): Set<string> {
  const folders = new Set<string>();
  for (const key of tree.keys()) addFolders(folders, key);
  return folders;
}

function addFolders(folders: Set<string>, path: string) {
  for (let slash = path.indexOf('/'); slash !== -1; ) {
    folders.add(path.slice(0, slash));
    slash = path.indexOf('/', slash + 1);
  }
}

function resolveHardLink(
  tree: Map<string, FinalFile>,
  entry: LayerEntry,
): Pick<FinalFile, 'kind' | 'spill' | 'size' | 'linkName'> | string {
  const link = entry.linkName ?? '';
  const target = normaliseLayerPath(link);
  if (!target)
    return `hard link ${shownPath(
      entry.path,
    )} points outside the image root (${shownPath(link)})`;
  const file = tree.get(target);
  if (file?.kind === 'file')
    return { kind: 'file', spill: file.spill, size: file.size };
  // A hard link to a symlink is a second symlink with the same target.
  if (file?.kind === 'symlink')
    return { kind: 'symlink', linkName: file.linkName };
  return `hard link ${shownPath(entry.path)} names ${shownPath(
    link,
  )}, which is not a regular file in the image below it`;
}

/** Applies one layer's entries; returns what could not be applied (a finding each). */
export function applyLayer(
  tree: Map<string, FinalFile>,
  entries: readonly LayerEntry[],
  layer: number,
): string[] {
  const problems: string[] = [];
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
  const folders = foldersOf(tree);
  for (const entry of entries) {
    if (baseOf(entry.path).startsWith(WHITEOUT)) continue;
    // A file or link where a folder is needed gives way to the folder (the extractor replaces it).
    for (let slash = entry.path.indexOf('/'); slash !== -1; ) {
      const ancestor = tree.get(entry.path.slice(0, slash));
      if (ancestor && ancestor.kind !== 'dir')
        tree.delete(entry.path.slice(0, slash));
      slash = entry.path.indexOf('/', slash + 1);
    }
    // A non-directory replacing a directory (explicit or implied by its files) replaces its subtree.
    if (entry.kind !== 'dir' && folders.has(entry.path)) {
      removeTree(tree, entry.path, true);
      folders.delete(entry.path);
    }
    let placed: Pick<FinalFile, 'kind' | 'spill' | 'size' | 'linkName'> = entry;
    if (entry.kind === 'hardlink') {
      const resolved = resolveHardLink(tree, entry);
      if (typeof resolved === 'string') {
        problems.push(resolved);
        // Whatever lower layers had at this path is gone either way; nothing is laid out here.
        placed = { kind: 'other' };
      } else placed = { ...resolved, linkName: entry.linkName };
    }
    tree.set(entry.path, {
      kind: placed.kind,
      spill: placed.spill,
      size: placed.size,
      linkName: placed.linkName,
      layer,
    });
    addFolders(folders, entry.path);
  }
  return problems;
}
