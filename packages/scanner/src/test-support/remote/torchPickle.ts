import { PickleWriter } from '../../formats/pickle/testing/pickleWriter';

/**
 * A PyTorch state-dict pickle as torch.save writes it: `OrderedDict` of `_rebuild_tensor_v2` calls whose
 * storages (`'0'`…`'n-1'`) are persistent ids. With `payload`, one more entry is `os.system(payload)`.
 */
export function torchStateDictPickle(
  storages: number,
  numel: number,
  payload?: string,
): Uint8Array {
  const w = PickleWriter.create()
    .proto(2)
    .global('collections', 'OrderedDict')
    .emptyTuple()
    .reduce();
  for (let i = 0; i < storages; i++) {
    w.binUnicode(`layers.${i}.weight`)
      .global('torch._utils', '_rebuild_tensor_v2')
      .mark()
      .mark()
      .binUnicode('storage')
      .global('torch', 'FloatStorage')
      .binUnicode(String(i))
      .binUnicode('cpu')
      .int(numel)
      .tuple()
      .raw('Q') // BINPERSID
      .int(0)
      .int(numel)
      .raw(0x85) // TUPLE1: size
      .int(1)
      .raw(0x85) // stride
      .raw(0x89) // False: requires_grad
      .global('collections', 'OrderedDict')
      .emptyTuple()
      .reduce()
      .tuple()
      .reduce()
      .setItem();
  }
  if (payload)
    w.binUnicode('hook')
      .global('os', 'system')
      .binUnicode(payload)
      .raw(0x85)
      .reduce()
      .setItem();
  return w.stop().bytes();
}
