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
const COLON = 0x3a;
const DOT_DOT = Buffer.from('..', 'latin1');

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
  /** 1 when the name may carry an extraction hazard (see mayHaveHazard), decided in the hashing pass. */
  private readonly hazard: Uint8Array;
  /** Rows, ascending, whose name may carry a hazard (nearly always none). */
  readonly hazardRows: number[] = [];
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
    this.hazard = new Uint8Array(table.count);
    let size = 16;
    while (size < table.count * 2) size *= 2;
    this.slots = new Int32Array(size);
    let distinct = true;
    for (let row = 0; row < table.count; row++) {
      const hash = this.plainHash(row);
      if (hash >= 0) {
        this.plain[row] = 1;
        if (!this.insert(row, hash)) distinct = false;
        if (this.hazard[row]) this.hazardRows.push(row);
      } else {
        this.hazard[row] = 1;
        this.hazardRows.push(row);
        const text = this.text(row);
        if (this.otherTexts.has(text)) distinct = false;
        else this.otherTexts.set(text, row);
      }
    }
    this.distinct = distinct;
    this.markDotDotRows();
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

  /**
   * The rows, ascending, whose name ends with `suffix`: one loop that tests the last byte first,
   * not a call per member (the layout asks this of every member once per archive).
   */
  rowsEndingWith(suffix: string): number[] {
    const rows: number[] = [];
    if (suffix.length === 0) {
      for (let row = 0; row < this.count; row++) rows.push(row);
      return rows;
    }
    // A plain name is printable ASCII: it can only end with a suffix that is too.
    const plainSuffix = isPlainText(suffix);
    const wanted = Uint8Array.from(suffix, c => c.charCodeAt(0));
    const last = wanted[wanted.length - 1];
    const bytes = this.bytes;
    for (let row = 0; row < this.count; row++) {
      if (!this.plain[row]) {
        if (this.text(row).endsWith(suffix)) rows.push(row);
        continue;
      }
      const end = this.start[row] + this.length[row];
      if (
        !plainSuffix ||
        this.length[row] < wanted.length ||
        bytes[end - 1] !== last
      )
        continue;
      const from = end - wanted.length;
      let match = true;
      for (let i = 0; i < wanted.length - 1; i++)
        if (bytes[from + i] !== wanted[i]) {
          match = false;
          break;
        }
      if (match) rows.push(row);
    }
    return rows;
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
   * drive letter, backslash, `..`, NUL); decided once for every row when the index is built (a
   * plain name has no backslash or NUL by definition).
   */
  mayHaveHazard(row: number): boolean {
    return this.hazard[row] === 1;
  }

  /**
   * Sets `into[row]` to 1 for every member named `<prefix><key>` with a non-empty key and no
   * further slash (a PyTorch storage): one loop over the rows, not a call per member, because a
   * scan runs it once per process, mostly before the JIT has compiled anything.
   */
  markDirectChildren(prefix: string, into: Uint8Array): void {
    // A plain name is printable ASCII: it can only start with a prefix that is too.
    const plainPrefix = isPlainText(prefix);
    const wanted = Uint8Array.from(prefix, c => c.charCodeAt(0));
    const bytes = this.bytes;
    for (let row = 0; row < this.count; row++) {
      if (!this.plain[row]) {
        if (this.isDirectChild(row, prefix)) into[row] = 1;
        continue;
      }
      if (!plainPrefix) continue;
      const start = this.start[row];
      const end = start + this.length[row];
      if (end - start <= wanted.length) continue;
      let match = true;
      for (let i = 0; i < wanted.length; i++)
        if (bytes[start + i] !== wanted[i]) {
          match = false;
          break;
        }
      for (let i = start + wanted.length; match && i < end; i++)
        if (bytes[i] === SLASH) match = false;
      if (match) into[row] = 1;
    }
  }

  /** Every name decoded, for the rare report that needs them all (duplicates). */
  texts(): string[] {
    const texts: string[] = [];
    for (let row = 0; row < this.count; row++) texts.push(this.text(row));
    return texts;
  }

  /**
   * The name's hash (FNV-1a over its bytes) when it is plain, -1 when it is not; the same pass
   * marks a plain name that starts with a slash or a drive letter (`..` is found by
   * markDotDotRows).
   */
  private plainHash(row: number): number {
    const start = this.start[row];
    const end = start + this.length[row];
    const bytes = this.bytes;
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) {
      const byte = bytes[i];
      if (byte < 0x20 || byte > 0x7e || byte === BACKSLASH) return -1;
      hash = Math.imul(hash ^ byte, 0x01000193);
    }
    if (
      (end > start && bytes[start] === SLASH) ||
      (end - start > 1 && bytes[start + 1] === COLON)
    )
      this.hazard[row] = 1;
    return hash >>> 0;
  }

  /**
   * Marks the plain names that contain `..`, found by one native search of the directory's bytes
   * rather than a test per name byte (an occurrence outside every name, in a binary field, is
   * ignored). Runs after the hashing pass; hazard rows are kept ascending.
   */
  private markDotDotRows(): void {
    const all = Buffer.from(
      this.bytes.buffer,
      this.bytes.byteOffset,
      this.bytes.byteLength,
    );
    let marked = false;
    for (
      let at = all.indexOf(DOT_DOT);
      at >= 0;
      at = all.indexOf(DOT_DOT, at + 1)
    ) {
      const row = this.rowHolding(at);
      if (row < 0 || !this.plain[row] || this.hazard[row]) continue;
      // Both dots inside the name.
      if (at + 2 > this.start[row] + this.length[row]) continue;
      this.hazard[row] = 1;
      this.hazardRows.push(row);
      marked = true;
    }
    if (marked) this.hazardRows.sort((a, b) => a - b);
  }

  /** The row whose name bytes include `offset`, or -1 (names are ascending ranges of the directory). */
  private rowHolding(offset: number): number {
    let low = 0;
    let high = this.count - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (this.start[mid] > offset) high = mid - 1;
      else if (this.start[mid] + this.length[mid] <= offset) low = mid + 1;
      else return mid;
    }
    return -1;
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
