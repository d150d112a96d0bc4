/**
 * Member names of one central directory, compared as bytes where that gives the same answer as
 * comparing the decoded names, and decoded only for the members a report or the handover needs.
 *
 * A name is *plain* when every byte is printable ASCII other than the backslash. Its text is then
 * its bytes whatever the UTF-8 flag says, so equality, prefixes and suffixes can be decided on the
 * bytes. Any other name (non-ASCII, control characters, backslashes) is decoded and handled as a
 * string. A plain name can never equal the text of another kind: escaping a control character
 * writes a backslash, and a non-ASCII byte decodes to a non-ASCII character.
 */
import { decodeName, printableName } from '../support/memberName';
import type { DirectoryTable } from './zipDirectoryTable';
import { FLAG_UTF8 } from './zipStructure';

const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const DOT = 0x2e;
const COLON = 0x3a;

/** True when `text` is printable ASCII without a backslash (its bytes are its characters). */
function isPlainText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === BACKSLASH) return false;
  }
  return true;
}

export class MemberNames {
  readonly count: number;
  /** True when no two members have the same name (decoded, as loaders compare them). */
  readonly distinct: boolean;
  private readonly bytes: Uint8Array;
  private readonly start: Uint32Array;
  private readonly length: Uint16Array;
  private readonly flags: Uint16Array;
  private readonly plain: Uint8Array;
  /** Open-addressing table of plain names: row + 1, 0 when free. */
  private readonly slots: Int32Array;
  /** Texts of the names that are not plain (rare: such names are matched as strings). */
  private readonly otherTexts = new Map<string, number>();

  constructor(table: DirectoryTable) {
    this.count = table.count;
    this.bytes = table.bytes;
    this.start = table.nameStart;
    this.length = table.nameLength;
    this.flags = table.flags;
    this.plain = new Uint8Array(table.count);
    let size = 16;
    while (size < table.count * 2) size *= 2;
    this.slots = new Int32Array(size);
    let distinct = true;
    for (let row = 0; row < table.count; row++) {
      const hash = this.plainHash(row);
      if (hash >= 0) {
        this.plain[row] = 1;
        if (!this.insert(row, hash)) distinct = false;
      } else {
        const text = this.text(row);
        if (this.otherTexts.has(text)) distinct = false;
        else this.otherTexts.set(text, row);
      }
    }
    this.distinct = distinct;
  }

  /** The name as shown in findings and handed to the engine (control characters escaped). */
  text(row: number): string {
    return printableName(this.raw(row));
  }

  /** The name as decoded, before escaping (what extraction would use). */
  raw(row: number): string {
    const start = this.start[row];
    return decodeName(
      this.bytes.subarray(start, start + this.length[row]),
      (this.flags[row] & FLAG_UTF8) !== 0,
    );
  }

  /** True when a member has exactly this name. */
  has(name: string): boolean {
    if (!isPlainText(name)) return this.otherTexts.has(name);
    const mask = this.slots.length - 1;
    for (let at = this.hashText(name) & mask; ; at = (at + 1) & mask) {
      const slot = this.slots[at];
      if (slot === 0) return false;
      if (this.rowEqualsText(slot - 1, name)) return true;
    }
  }

  /** True when the member's name starts with `prefix`. */
  startsWith(row: number, prefix: string): boolean {
    if (!this.plain[row]) return this.text(row).startsWith(prefix);
    const length = this.length[row];
    if (length < prefix.length) return false;
    const start = this.start[row];
    for (let i = 0; i < prefix.length; i++)
      if (this.bytes[start + i] !== prefix.charCodeAt(i)) return false;
    return true;
  }

  /** True when the member's name ends with `suffix`. */
  endsWith(row: number, suffix: string): boolean {
    if (!this.plain[row]) return this.text(row).endsWith(suffix);
    const length = this.length[row];
    if (length < suffix.length) return false;
    const from = this.start[row] + length - suffix.length;
    for (let i = 0; i < suffix.length; i++)
      if (this.bytes[from + i] !== suffix.charCodeAt(i)) return false;
    return true;
  }

  /** True when some member's name starts with `prefix`. */
  someStartsWith(prefix: string): boolean {
    for (let row = 0; row < this.count; row++)
      if (this.startsWith(row, prefix)) return true;
    return false;
  }

  /** `<prefix><key>` where the key is not empty and has no slash (a PyTorch storage name). */
  isDirectChild(row: number, prefix: string): boolean {
    if (!this.plain[row]) {
      const text = this.text(row);
      return (
        text.length > prefix.length &&
        text.startsWith(prefix) &&
        text.indexOf('/', prefix.length) < 0
      );
    }
    if (this.length[row] <= prefix.length || !this.startsWith(row, prefix))
      return false;
    const end = this.start[row] + this.length[row];
    for (let i = this.start[row] + prefix.length; i < end; i++)
      if (this.bytes[i] === SLASH) return false;
    return true;
  }

  /**
   * False only when the name carries none of the extraction hazards (leading slash or backslash,
   * drive letter, backslash, `..`, NUL); decided on the bytes of a plain name, which has no
   * backslash or NUL by definition.
   */
  mayHaveHazard(row: number): boolean {
    if (!this.plain[row]) return true;
    const start = this.start[row];
    const end = start + this.length[row];
    if (end === start) return false;
    if (this.bytes[start] === SLASH) return true;
    if (end - start > 1 && this.bytes[start + 1] === COLON) return true;
    for (let i = start; i + 1 < end; i++)
      if (this.bytes[i] === DOT && this.bytes[i + 1] === DOT) return true;
    return false;
  }

  /** Every name decoded, for the rare report that needs them all (duplicates). */
  texts(): string[] {
    const texts: string[] = [];
    for (let row = 0; row < this.count; row++) texts.push(this.text(row));
    return texts;
  }

  /**
   * The name's hash (FNV-1a over its bytes) when it is plain, -1 when it is not: one pass over the
   * bytes decides both.
   */
  private plainHash(row: number): number {
    const start = this.start[row];
    const end = start + this.length[row];
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) {
      const byte = this.bytes[i];
      if (byte < 0x20 || byte > 0x7e || byte === BACKSLASH) return -1;
      hash = Math.imul(hash ^ byte, 0x01000193);
    }
    return hash >>> 0;
  }

  /** Adds a plain row with its hash; false when an equal name is already there. */
  private insert(row: number, hash: number): boolean {
    const mask = this.slots.length - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const slot = this.slots[at];
      if (slot === 0) {
        this.slots[at] = row + 1;
        return true;
      }
      if (this.rowsEqual(slot - 1, row)) return false;
    }
  }

  private rowsEqual(a: number, b: number): boolean {
    const length = this.length[a];
    if (length !== this.length[b]) return false;
    const from = this.start[a];
    const to = this.start[b];
    for (let i = 0; i < length; i++)
      if (this.bytes[from + i] !== this.bytes[to + i]) return false;
    return true;
  }

  private rowEqualsText(row: number, text: string): boolean {
    if (this.length[row] !== text.length) return false;
    const start = this.start[row];
    for (let i = 0; i < text.length; i++)
      if (this.bytes[start + i] !== text.charCodeAt(i)) return false;
    return true;
  }

  private hashText(text: string): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++)
      hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    return hash >>> 0;
  }
}
