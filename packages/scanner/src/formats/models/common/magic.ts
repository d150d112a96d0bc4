/**
 * Names what the first bytes of a file look like, for "this is not what its name says" evidence.
 * Only formats a model loader would act on are named; anything else is `unknown`.
 */
export function describeMagic(head: Uint8Array): string {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x80) && head.length > 1 && head[1] >= 2 && head[1] <= 5)
    return `pickle (protocol ${head[1]})`;
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06))
    return 'zip archive';
  if (starts(0x1f, 0x8b)) return 'gzip';
  if (starts(0x42, 0x5a, 0x68)) return 'bzip2';
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'xz';
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'zstd';
  if (starts(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)) return '7z';
  if (starts(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a)) return 'HDF5';
  if (starts(0x47, 0x47, 0x55, 0x46)) return 'GGUF';
  if (starts(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59)) return 'NumPy array';
  if (
    head.length >= 262 &&
    Buffer.from(head.subarray(257, 262)).toString('latin1') === 'ustar'
  )
    return 'tar archive';
  // Protocol 0/1 pickles start with an opcode letter and usually a GLOBAL 'c' or MARK '('.
  if (starts(0x63) || starts(0x28)) return 'possibly a protocol 0/1 pickle';
  if (starts(0x7f, 0x45, 0x4c, 0x46)) return 'ELF executable';
  if (starts(0x4d, 0x5a)) return 'Windows executable';
  if (starts(0x23, 0x21)) return 'script (#!)';
  return 'unknown';
}
