/**
 * PyTorch's pre-1.6 stream format (`torch.save(..., _use_new_zipfile_serialization=False)`):
 * five pickles back to back (magic number, protocol version, sys_info, the object, storage keys)
 * followed by raw storage bytes that are read, never unpickled.
 */
export const TORCH_LEGACY_STREAMS = 5;

/** `PROTO 2`, `LONG1 10` and the little-endian bytes of 0x1950a86a20f9469cfc6c. */
const LEGACY_MAGIC_HEAD = Uint8Array.from([
  0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50,
  0x19,
]);

export function isTorchLegacyStream(head: Uint8Array): boolean {
  if (head.length < LEGACY_MAGIC_HEAD.length) return false;
  for (let i = 0; i < LEGACY_MAGIC_HEAD.length; i++)
    if (head[i] !== LEGACY_MAGIC_HEAD[i]) return false;
  return true;
}
