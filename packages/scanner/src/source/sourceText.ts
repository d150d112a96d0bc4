/**
 * What CPython reads from a source file before it tokenises it, so that the analysis sees the same
 * names: the PEP 263 encoding declaration decides how the bytes are decoded, a UTF-8 byte-order
 * mark is dropped, and identifiers are compared after NFKC normalisation (PEP 3131), so
 * `ｐｉｃｋｌｅ.ｌｏａｄｓ(x)` calls `pickle.loads`.
 */

/** An encoding declaration on line 1 or 2: `# -*- coding: latin-1 -*-`, `# vim: fileencoding=utf-7`. */
export interface EncodingDeclaration {
  /** The codec name as written. */
  name: string;
  line: number;
  /** The declaring line, trimmed, at most 200 characters. */
  text: string;
}

/** How the declared codec is decoded here; anything not listed is not decoded (and reported). */
type Decoding = 'utf-8' | 'ascii' | 'latin-1' | 'iso-8859-15' | 'windows-1252';

/**
 * Codec names CPython accepts for the codecs decoded here, after `normaliseCodecName`. UTF-8 and
 * ASCII files are read as UTF-8 already (a byte outside them is a SyntaxError for CPython, so such
 * a file does not run); the latin-1 family maps every byte to one character, so it is decoded from
 * the bytes. Everything else (utf-7, utf-16/32, EBCDIC, the CJK multi-byte codecs) can put ASCII
 * keywords where a UTF-8 reader sees other bytes, or the reverse: those files are not analysed as
 * if they were UTF-8.
 */
const DECODINGS: ReadonlyMap<string, Decoding> = new Map([
  ...['utf_8', 'utf8', 'u8', 'utf', 'cp65001', 'utf8_ucs2', 'utf8_ucs4'].map(
    name => [name, 'utf-8'] as const,
  ),
  ...[
    'ascii',
    'us_ascii',
    'us',
    '646',
    'ansi_x3.4_1968',
    'ansi_x3_4_1968',
    'ansi_x3.4_1986',
    'cp367',
    'csascii',
    'ibm367',
    'iso646_us',
    'iso_646.irv_1991',
    'iso_ir_6',
  ].map(name => [name, 'ascii'] as const),
  ...[
    'latin_1',
    'latin1',
    'latin',
    'l1',
    'iso_8859_1',
    'iso8859_1',
    'iso_8859_1_1987',
    '8859',
    'cp819',
    'ibm819',
    'iso_ir_100',
    'csisolatin1',
    'iso_latin_1',
  ].map(name => [name, 'latin-1'] as const),
  ...['iso8859_15', 'iso_8859_15', 'latin_9', 'latin9', 'l9'].map(
    name => [name, 'iso-8859-15'] as const,
  ),
  ...['cp1252', 'windows_1252'].map(name => [name, 'windows-1252'] as const),
]);

/** CPython's `get_normal_name` prefixes (`utf-8-sig`, `latin-1-unix`) and codec-lookup spelling. */
function normaliseCodecName(name: string): string {
  const lower = name.toLowerCase().replace(/_/g, '-');
  if (lower === 'utf-8' || lower.startsWith('utf-8-')) return 'utf_8';
  if (/^(latin-1|iso-8859-1|iso-latin-1)(-|$)/.test(lower)) return 'latin_1';
  return lower.replace(/[^a-z0-9.]+/g, '_').replace(/^_+|_+$/g, '');
}

/** Which decoding a declared codec gets here, or `undefined` when it is not decoded. */
export function decodingFor(codec: string): Decoding | undefined {
  return DECODINGS.get(normaliseCodecName(codec));
}

const BOM = '\uFEFF';
/** Any UTF-16 unit above ASCII (surrogates included): the non-`u` form is the fastest scan. */
const NON_ASCII = /[\u0080-\uFFFF]/;
/** The PEP 263 pattern, as CPython's tokenizer reads it: a comment line, `coding` then `:` or `=`. */
const DECLARATION = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
const COMMENT_OR_BLANK = /^[ \t\f]*(#|$)/;

/**
 * The encoding declaration CPython would honour: line 1, or line 2 when line 1 is a comment or
 * blank (a line of code ends the search).
 */
export function findEncodingDeclaration(
  text: string,
): EncodingDeclaration | undefined {
  // Whole lines, however long: a declaration after a 100 KB first-line comment still counts.
  const breaks = /\r\n|\r|\n/g;
  let from = text.startsWith(BOM) ? 1 : 0;
  breaks.lastIndex = from;
  for (let line = 1; line <= 2; line++) {
    const found = breaks.exec(text);
    const content = text.slice(from, found ? found.index : text.length);
    const match = content.includes('coding') ? DECLARATION.exec(content) : null;
    if (match)
      return { name: match[1], line, text: content.trim().slice(0, 200) };
    if (!found || !COMMENT_OR_BLANK.test(content)) return undefined;
    from = breaks.lastIndex;
  }
  return undefined;
}

export type PreparedSource =
  | { kind: 'text'; text: string; identifiersNormalised: boolean }
  | { kind: 'undecodable'; declaration: EncodingDeclaration };

/**
 * The text CPython would tokenise. `utf8` is the file read as UTF-8; `readBytes` is asked for the
 * raw bytes only when a latin-1 family codec is declared and the file is not plain ASCII.
 * `prefilter`: see `normaliseIdentifiers`.
 */
export async function prepareSource(
  utf8: string,
  readBytes: () => Promise<Uint8Array>,
  prefilter?: RegExp,
): Promise<PreparedSource> {
  let text = utf8.startsWith(BOM) ? utf8.slice(1) : utf8;
  const declaration = findEncodingDeclaration(text);
  const decoding = declaration ? decodingFor(declaration.name) : 'utf-8';
  if (!decoding) return { kind: 'undecodable', declaration: declaration! };
  const ascii = !NON_ASCII.test(text);
  if (ascii) return { kind: 'text', text, identifiersNormalised: false };
  if (decoding !== 'utf-8' && decoding !== 'ascii')
    text = decodeSingleByte(await readBytes(), decoding);
  const normalised = normaliseIdentifiers(text, prefilter);
  return {
    kind: 'text',
    text: normalised,
    identifiersNormalised: normalised !== text,
  };
}

function decodeSingleByte(
  bytes: Uint8Array,
  decoding: 'latin-1' | 'iso-8859-15' | 'windows-1252',
): string {
  // Buffer's latin1 is ISO-8859-1 exactly; TextDecoder's "latin1" label means windows-1252.
  if (decoding === 'latin-1')
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString(
      'latin1',
    );
  return new TextDecoder(decoding).decode(bytes);
}

/**
 * A name-like run with a non-ASCII character: CPython's tokenizer treats every non-ASCII character
 * as a possible identifier character, then requires the NFKC form to be an identifier. Runs start
 * only where a name cannot continue (the lookbehind), so pure-ASCII names cost no callback and no
 * character is retried across a long ASCII name (no quadratic backtracking).
 */
const NON_ASCII_RUN =
  /(?<![\w\u0080-\u{10FFFF}])\w*[\u0080-\u{10FFFF}][\w\u0080-\u{10FFFF}]*/gu;
/** ASCII that is not a name character: quotes, `#`, brackets, operators, spaces. */
const ASCII_PUNCTUATION = /[\x20-\x2F\x3A-\x40\x5B-\x5E\x60\x7B-\x7E\s]/;

/**
 * A run in its NFKC form, unless that form has ASCII punctuation (`＂` → `"`, `＃` → `#`): such a run
 * is no identifier for CPython (a SyntaxError in code, literal text in a string), and normalising it
 * would let a string such as `f"＂＃"` end early and turn the code after it into a comment here.
 */
function normaliseRun(run: string): string {
  const normalised = run.normalize('NFKC');
  return ASCII_PUNCTUATION.test(normalised) ? run : normalised;
}

/**
 * NFKC-normalises the identifiers of Python source (PEP 3131). Runs inside strings and comments are
 * normalised too: telling them apart needs a full tokenizer (PEP 701 f-strings nest quotes), and a
 * normalised run never changes the structure of the text (see `normaliseRun`), so this can only add
 * findings (`getattr(m, 'ｌｏａｄｓ')` reads as `'loads'`, which CPython would not find), never hide one.
 */
export function normaliseIdentifiers(text: string, prefilter?: RegExp): string {
  // The fast paths: a pure-ASCII file (most of them) has nothing to normalise, nor has one whose
  // non-ASCII text is already in NFKC form (German, Japanese): runs start and end next to ASCII
  // characters, which never combine with the character before them, so each run's NFKC form is
  // its part of the whole text's. Only compatibility characters (fullwidth, ligatures, ª) need the
  // pass over runs.
  if (!NON_ASCII.test(text)) return text;
  const whole = text.normalize('NFKC');
  if (whole === text) return text;
  // For the same reason a name the pass would produce is in the whole NFKC form: when the caller's
  // prefilter (ASCII words) matches neither that nor the text as written, the caller would skip the
  // file anyway, and the pass is not worth running.
  if (prefilter && !prefilter.test(text) && !prefilter.test(whole)) return text;
  return text.replace(NON_ASCII_RUN, normaliseRun);
}
