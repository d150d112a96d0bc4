/**
 * Decoding of pickle text arguments: short strings, protocol-0 STRING (a Python bytes repr) and
 * UNICODE (raw-unicode-escape). Pure functions over bytes.
 */
const latin1 = new TextDecoder('latin1');

export function asciiOrDecode(view: Uint8Array, decoder: TextDecoder): string {
  if (view.length <= 64) {
    let ascii = true;
    for (let i = 0; i < view.length; i++)
      if (view[i] >= 0x80) {
        ascii = false;
        break;
      }
    if (ascii)
      return String.fromCharCode.apply(null, view as unknown as number[]);
  }
  return decoder.decode(view);
}

/** Decodes protocol-0 STRING's Python `repr` argument ('...' or "...", with escapes) to bytes. */
export function decodeQuotedString(
  view: Uint8Array,
  onError: () => never,
): Uint8Array {
  let end = view.length;
  while (end > 0 && (view[end - 1] === 0x0d || view[end - 1] === 0x20)) end--;
  const quote = view[0];
  if (end < 2 || (quote !== 0x27 && quote !== 0x22) || view[end - 1] !== quote)
    onError();
  const out: number[] = [];
  for (let i = 1; i < end - 1; i++) {
    const c = view[i];
    if (c !== 0x5c || i + 1 >= end - 1) {
      out.push(c);
      continue;
    }
    const e = view[++i];
    const simple: Record<number, number> = {
      0x6e: 10,
      0x74: 9,
      0x72: 13,
      0x61: 7,
      0x62: 8,
      0x66: 12,
      0x76: 11,
      0x5c: 0x5c,
      0x27: 0x27,
      0x22: 0x22,
    };
    if (simple[e] !== undefined) out.push(simple[e]);
    else if (e === 0x78 && i + 2 < end) {
      out.push(
        parseInt(String.fromCharCode(view[i + 1], view[i + 2]), 16) || 0,
      );
      i += 2;
    } else if (e >= 0x30 && e <= 0x37) {
      let digits = String.fromCharCode(e);
      while (
        digits.length < 3 &&
        i + 1 < end - 1 &&
        view[i + 1] >= 0x30 &&
        view[i + 1] <= 0x37
      )
        digits += String.fromCharCode(view[++i]);
      out.push(parseInt(digits, 8) & 0xff);
    } else if (e === 0x0a) {
      // escaped newline: nothing
    } else out.push(0x5c, e);
  }
  return Uint8Array.from(out);
}

/** Decodes protocol-0 UNICODE's raw-unicode-escape argument (latin-1 with \uXXXX and \UXXXXXXXX). */
export function decodeRawUnicodeEscape(view: Uint8Array): string {
  const text = latin1.decode(view);
  if (!text.includes('\\u') && !text.includes('\\U')) return text;
  return text.replace(
    /\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g,
    (_m, short: string, long: string) => {
      const point = parseInt(short ?? long, 16);
      return point <= 0x10ffff ? String.fromCodePoint(point) : '\ufffd';
    },
  );
}
