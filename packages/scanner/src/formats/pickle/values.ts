/**
 * The symbolic values the walker keeps on its stack and in its memo. It never builds Python objects:
 * it keeps only what detection needs (strings, callable references, what each callable is called
 * with) and collapses everything else to small stand-ins, so memory stays bounded on huge pickles.
 */
export type PyValue = string | number | boolean | null | SymbolicRef;

export type SymbolicRef =
  | GlobalRef
  | CallRef
  | BytesRef
  | ContainerRef
  | OpaqueRef;

/** A callable or class reference: GLOBAL, STACK_GLOBAL, INST's class, or an EXT code. */
export interface GlobalRef {
  kind: 'global';
  module: string;
  name: string;
  opcode: string;
  offset: number;
}

/** The result of invoking `callee` (REDUCE, NEWOBJ, NEWOBJ_EX, OBJ, INST) with `args`. */
export interface CallRef {
  kind: 'call';
  callee: PyValue;
  args: PyValue;
  kwargs?: PyValue;
  /** State applied by the first BUILD on the result (dtype flags, wrapper fields). */
  state?: PyValue;
  /** A later BUILD replaced or merged that state (`__setstate__` runs again): `state` is not the last word. */
  rebuilt?: boolean;
  opcode: string;
  offset: number;
}

/** bytes/bytearray: a view onto the scanned buffer (never copied), for nested-pickle walking. */
export interface BytesRef {
  kind: 'bytes';
  data: Uint8Array;
}

export type ContainerKind = 'tuple' | 'list' | 'dict' | 'set' | 'frozenset';

/**
 * A tuple, list, dict (items flattened as key, value, key, value) or set. Only the first
 * MAX_CONTAINER_ITEMS items are kept; `size` counts them all.
 */
export interface ContainerRef {
  kind: ContainerKind;
  items: PyValue[];
  size: number;
  /** Dunder string keys ever set on a dict (`__reduce__`, `__builtins__`...), whatever the cap. */
  dunderKeys?: string[];
  /** How many objects this expands to when shared references are followed (expansion bombs). */
  expandedSize?: number;
  /** Levels of containers nested in this one, itself included (1 when it holds no container). */
  depth?: number;
}

/** Something we do not model: floats, huge ints, long strings (with a preview), persistent IDs, buffers. */
export interface OpaqueRef {
  kind: 'opaque';
  what: string;
  preview?: string;
}

/** Pseudo-module of EXT1/EXT2/EXT4 references: codes in copyreg's extension registry. */
export const EXTENSION_REGISTRY_MODULE = 'copyreg._extension_registry';

export const MAX_CONTAINER_ITEMS = 64;
/** Strings longer than this are kept as an opaque preview: module and attribute names are short. */
export const MAX_STRING_CHARS = 1024;

const opaque = (what: string): OpaqueRef =>
  Object.freeze({ kind: 'opaque', what }) as OpaqueRef;

export const OPAQUE_FLOAT = opaque('float');
export const OPAQUE_INT = opaque('int');
export const OPAQUE_PERSISTENT = opaque('persistent id');
export const OPAQUE_BUFFER = opaque('out-of-band buffer');
export const OPAQUE_NOT_RETAINED = opaque(
  'container not retained (memo budget)',
);

export function isRef(value: PyValue | undefined): value is SymbolicRef {
  return typeof value === 'object' && value !== null;
}

export function isContainer(value: PyValue | undefined): value is ContainerRef {
  return (
    isRef(value) &&
    value.kind !== 'global' &&
    value.kind !== 'call' &&
    value.kind !== 'bytes' &&
    value.kind !== 'opaque'
  );
}

/**
 * Creates a container that takes ownership of `items` (callers pass fresh arrays), so the millions of
 * small tuples in a large pickle cost one object and one array each. All fields are set up front to
 * keep one object shape.
 */
export function newContainer(
  kind: ContainerKind,
  items: PyValue[] = [],
): ContainerRef {
  const kept =
    items.length <= MAX_CONTAINER_ITEMS
      ? items
      : items.slice(0, MAX_CONTAINER_ITEMS);
  const container: ContainerRef = {
    kind,
    items: kept,
    size: items.length,
    dunderKeys: undefined,
    expandedSize: undefined,
    depth: 1 + deepestItem(items),
  };
  if (kind === 'dict') noteDunderKeys(container, items);
  return container;
}

export function appendItems(
  container: ContainerRef,
  items: readonly PyValue[],
): void {
  if (container.kind === 'dict') noteDunderKeys(container, items);
  const depth = 1 + deepestItem(items);
  if (depth > (container.depth ?? 1)) container.depth = depth;
  for (
    let i = 0;
    i < items.length && container.items.length < MAX_CONTAINER_ITEMS;
    i++
  )
    container.items.push(items[i]);
  container.size += items.length;
}

/** Depth of the deepest container among `items` (0 when there is none), kept or not. */
function deepestItem(items: readonly PyValue[]): number {
  let deepest = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (
      typeof item === 'object' &&
      item !== null &&
      ((item as ContainerRef).depth ?? 0) > deepest
    )
      deepest = (item as ContainerRef).depth ?? 0;
  }
  return deepest;
}

/** Records dunder keys among dict items (flattened key, value pairs), whatever the item cap. */
function noteDunderKeys(
  container: ContainerRef,
  items: readonly PyValue[],
): void {
  for (let i = 0; i < items.length; i += 2) {
    const key = items[i];
    if (typeof key === 'string' && isDunder(key)) {
      container.dunderKeys ??= [];
      if (
        container.dunderKeys.length < 8 &&
        !container.dunderKeys.includes(key)
      )
        container.dunderKeys.push(key);
    }
  }
}

function isDunder(text: string): boolean {
  return text.length > 4 && text.startsWith('__') && text.endsWith('__');
}

/** Looks up a string key in a dict container (within the kept items). */
export function dictGet(
  dict: PyValue | undefined,
  key: string,
): PyValue | undefined {
  if (!isRef(dict) || dict.kind !== 'dict') return undefined;
  for (let i = 0; i + 1 < dict.items.length; i += 2)
    if (dict.items[i] === key) return dict.items[i + 1];
  return undefined;
}

/** Short, Python-like rendering for messages: `'rm -rf /'`, `os.system`, `(1, 2)`. */
export function renderValue(
  value: PyValue | undefined,
  maxChars = 80,
  depth = 0,
): string {
  const text = render(value, depth);
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

function render(value: PyValue | undefined, depth: number): string {
  if (value === undefined) return '?';
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string')
    return `'${value
      .replace(/\\/g, '\\\\')
      .replace(/'/g, "\\'")
      .replace(/\n/g, '\\n')}'`;
  if (depth > 3) return '…';
  switch (value.kind) {
    case 'global':
      return `${value.module}.${value.name}`;
    case 'call':
      return `${render(value.callee, depth + 1)}${renderArgs(
        value.args,
        depth + 1,
      )}`;
    case 'bytes':
      return `b'${Buffer.from(value.data.subarray(0, 40))
        .toString('latin1')
        .replace(/[^\x20-\x7e]/g, '.')}${value.data.length > 40 ? '…' : ''}'`;
    case 'opaque':
      return value.preview !== undefined
        ? `'${value.preview}…'`
        : `<${value.what}>`;
    default: {
      const parts = value.items
        .slice(0, 8)
        .map(item => render(item, depth + 1));
      const more = value.size > parts.length ? ', …' : '';
      if (value.kind === 'list') return `[${parts.join(', ')}${more}]`;
      if (value.kind === 'tuple')
        return `(${parts.join(', ')}${value.size === 1 ? ',' : ''}${more})`;
      if (value.kind === 'dict') {
        const pairs: string[] = [];
        for (let i = 0; i + 1 < parts.length; i += 2)
          pairs.push(`${parts[i]}: ${parts[i + 1]}`);
        return `{${pairs.join(', ')}${more}}`;
      }
      return `{${parts.join(', ')}${more}}`;
    }
  }
}

/** Renders call arguments as `(a, b)` whatever container they are in. */
export function renderArgs(args: PyValue | undefined, depth = 0): string {
  if (isContainer(args) && args.kind === 'tuple') {
    const parts = args.items.slice(0, 8).map(item => render(item, depth + 1));
    return `(${parts.join(', ')}${args.size > parts.length ? ', …' : ''})`;
  }
  return `(*${render(args, depth + 1)})`;
}
