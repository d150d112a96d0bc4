/**
 * The textbook `os.system("id")` pickle, hand-assembled (no pickle library): protocol 2 opens with
 * PROTO 0x80 0x02, protocol 0 with a GLOBAL opcode letter.
 */
export function osSystemPickle(protocol: 0 | 2): Uint8Array {
  const body = "cos\nsystem\n(S'id'\ntR.";
  return protocol === 0
    ? Buffer.from(body, 'latin1')
    : Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.from(body, 'latin1')]);
}
