/** A tiny tar writer for tests: ustar headers, GNU long names, pax records, links and broken checksums. */

export interface TarEntrySpec {
  name: string;
  data?: Uint8Array | string;
  /** '0' file (default), '1' hard link, '2' symlink, '5' directory, 'L'/'x'/'g' raw metadata. */
  type?: string;
  linkName?: string;
  /** Corrupt this header's checksum. */
  badChecksum?: boolean;
  /** Write the size field in GNU base-256. */
  base256Size?: boolean;
}

const BLOCK = 512;

function toBytes(data: Uint8Array | string | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array();
  return typeof data === 'string' ? Buffer.from(data) : data;
}

function header(entry: TarEntrySpec, size: number): Uint8Array {
  const block = new Uint8Array(BLOCK);
  const put = (text: string, at: number, length: number) =>
    block.set(Buffer.from(text).subarray(0, length), at);
  put(entry.name, 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  if (entry.base256Size) {
    block[124] = 0x80;
    let rest = size;
    for (let i = 135; i > 124; i--) {
      block[i] = rest % 256;
      rest = Math.floor(rest / 256);
    }
  } else {
    put(`${size.toString(8).padStart(11, '0')}\0`, 124, 12);
  }
  put('00000000000\0', 136, 12);
  block[156] = (entry.type ?? '0').charCodeAt(0);
  put(entry.linkName ?? '', 157, 100);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
  put(
    `${(entry.badChecksum ? sum + 1 : sum).toString(8).padStart(6, '0')}\0 `,
    148,
    8,
  );
  return block;
}

export function buildTar(
  entries: TarEntrySpec[],
  options: { suffix?: Uint8Array; omitEnd?: boolean } = {},
): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    const data = toBytes(entry.data);
    parts.push(
      header(entry, data.length),
      data,
      new Uint8Array((BLOCK - (data.length % BLOCK)) % BLOCK),
    );
  }
  if (!options.omitEnd) parts.push(new Uint8Array(2 * BLOCK));
  const body = Buffer.concat(parts);
  const padded = options.omitEnd
    ? body
    : Buffer.concat([
        body,
        new Uint8Array((10240 - (body.length % 10240)) % 10240),
      ]);
  return options.suffix ? Buffer.concat([padded, options.suffix]) : padded;
}

/** A pax extended header record: `<len> <key>=<value>\n` where len counts itself. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (`${length}${body}`.length !== length) length++;
  return `${length}${body}`;
}
