/** Member-name decoding and the hazards a name carries when an archive is extracted. */

const UTF8 = new TextDecoder('utf-8', { fatal: false });

/** Held weakly: a directory's buffer is released with the directory. */
const WHOLE_BUFFERS = new WeakMap<ArrayBufferLike, Buffer>();

/**
 * Decodes a raw member name. Zip names are UTF-8 when flag bit 11 is set and CP437 otherwise; for
 * display and matching we decode the ASCII range exactly and map other bytes through Latin-1, which
 * keeps the name one character per byte (comparisons between headers are done on raw bytes).
 */
export function decodeName(bytes: Uint8Array, utf8: boolean): string {
  if (utf8) return UTF8.decode(bytes);
  // Names are views into one directory buffer: one Buffer over it, sliced by offset, instead of
  // a Buffer object per name (100,000 names are 100,000 constructor calls and their garbage).
  let whole = WHOLE_BUFFERS.get(bytes.buffer);
  if (!whole) {
    whole = Buffer.from(bytes.buffer);
    WHOLE_BUFFERS.set(bytes.buffer, whole);
  }
  return whole.toString(
    'latin1',
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  );
}

export type NameHazard = 'absolute' | 'parent' | 'backslash' | 'drive' | 'nul';

/** What makes a member name unsafe to extract, or read differently by different tools. */
export function nameHazards(name: string): NameHazard[] {
  // Most names have none (a PyTorch `archive/data/0` has slashes but no hazard): one pass over
  // the characters decides that, without the regexes and searches below.
  if (!mayHaveHazard(name)) return [];
  const hazards: NameHazard[] = [];
  if (name.startsWith('/') || name.startsWith('\\')) hazards.push('absolute');
  if (/^[A-Za-z]:/.test(name)) hazards.push('drive');
  if (name.includes('\\')) hazards.push('backslash');
  if (name.includes('..') && name.split(/[\\/]/).includes('..'))
    hazards.push('parent');
  if (name.includes('\0')) hazards.push('nul');
  return hazards;
}

/** False only when no hazard below can apply: no leading slash, drive, backslash, `..` or NUL. */
function mayHaveHazard(name: string): boolean {
  const first = name.charCodeAt(0);
  if (first === 0x2f || first === 0x5c || name.charCodeAt(1) === 0x3a)
    return true;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code === 0x5c || code === 0) return true;
    if (code === 0x2e && name.charCodeAt(i + 1) === 0x2e) return true;
  }
  return false;
}

const HAZARD_TEXT: Record<NameHazard, string> = {
  absolute: 'is an absolute path',
  drive: 'starts with a drive letter',
  backslash: 'contains a backslash',
  parent: 'contains a `..` segment',
  nul: 'contains a NUL byte (Python truncates the name there)',
};

export function describeHazards(hazards: readonly NameHazard[]): string {
  return hazards.map(hazard => HAZARD_TEXT[hazard]).join(', ');
}

const isControl = (code: number) => code < 0x20 || code === 0x7f;

/** A name safe to show in messages and to hand to the engine as a member path (control characters escaped). */
export function printableName(name: string): string {
  let clean = true;
  for (let i = 0; i < name.length && clean; i++)
    if (isControl(name.charCodeAt(i))) clean = false;
  if (clean) return name;
  let printable = '';
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    printable += isControl(code)
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : name[i];
  }
  return printable;
}
