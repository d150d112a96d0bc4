/**
 * The 68 opcodes of CPython's pickle protocols 0–5 (Lib/pickletools.py), by byte value, with the
 * protocol that introduced each one. The walker switches on the byte itself; this table gives names
 * for evidence and the protocol for version-mismatch checks.
 */
export interface OpcodeInfo {
  readonly name: string;
  readonly protocol: number;
}

const TABLE: ReadonlyArray<[string, string, number]> = [
  ['I', 'INT', 0],
  ['J', 'BININT', 1],
  ['K', 'BININT1', 1],
  ['M', 'BININT2', 1],
  ['L', 'LONG', 0],
  ['\x8a', 'LONG1', 2],
  ['\x8b', 'LONG4', 2],
  ['S', 'STRING', 0],
  ['T', 'BINSTRING', 1],
  ['U', 'SHORT_BINSTRING', 1],
  ['B', 'BINBYTES', 3],
  ['C', 'SHORT_BINBYTES', 3],
  ['\x8e', 'BINBYTES8', 4],
  ['\x96', 'BYTEARRAY8', 5],
  ['\x97', 'NEXT_BUFFER', 5],
  ['\x98', 'READONLY_BUFFER', 5],
  ['N', 'NONE', 0],
  ['\x88', 'NEWTRUE', 2],
  ['\x89', 'NEWFALSE', 2],
  ['V', 'UNICODE', 0],
  ['\x8c', 'SHORT_BINUNICODE', 4],
  ['X', 'BINUNICODE', 1],
  ['\x8d', 'BINUNICODE8', 4],
  ['F', 'FLOAT', 0],
  ['G', 'BINFLOAT', 1],
  [']', 'EMPTY_LIST', 1],
  ['a', 'APPEND', 0],
  ['e', 'APPENDS', 1],
  ['l', 'LIST', 0],
  [')', 'EMPTY_TUPLE', 1],
  ['t', 'TUPLE', 0],
  ['\x85', 'TUPLE1', 2],
  ['\x86', 'TUPLE2', 2],
  ['\x87', 'TUPLE3', 2],
  ['}', 'EMPTY_DICT', 1],
  ['d', 'DICT', 0],
  ['s', 'SETITEM', 0],
  ['u', 'SETITEMS', 1],
  ['\x8f', 'EMPTY_SET', 4],
  ['\x90', 'ADDITEMS', 4],
  ['\x91', 'FROZENSET', 4],
  ['0', 'POP', 0],
  ['2', 'DUP', 0],
  ['(', 'MARK', 0],
  ['1', 'POP_MARK', 1],
  ['g', 'GET', 0],
  ['h', 'BINGET', 1],
  ['j', 'LONG_BINGET', 1],
  ['p', 'PUT', 0],
  ['q', 'BINPUT', 1],
  ['r', 'LONG_BINPUT', 1],
  ['\x94', 'MEMOIZE', 4],
  ['\x82', 'EXT1', 2],
  ['\x83', 'EXT2', 2],
  ['\x84', 'EXT4', 2],
  ['c', 'GLOBAL', 0],
  ['\x93', 'STACK_GLOBAL', 4],
  ['R', 'REDUCE', 0],
  ['b', 'BUILD', 0],
  ['i', 'INST', 0],
  ['o', 'OBJ', 1],
  ['\x81', 'NEWOBJ', 2],
  ['\x92', 'NEWOBJ_EX', 4],
  ['\x80', 'PROTO', 2],
  ['.', 'STOP', 0],
  ['\x95', 'FRAME', 4],
  ['P', 'PERSID', 0],
  ['Q', 'BINPERSID', 1],
];

/** Indexed by opcode byte; `undefined` for bytes that are not opcodes. */
export const OPCODES: ReadonlyArray<OpcodeInfo | undefined> = (() => {
  const byByte: (OpcodeInfo | undefined)[] = new Array(256).fill(undefined);
  for (const [code, name, protocol] of TABLE)
    byByte[code.charCodeAt(0)] = { name, protocol };
  return byByte;
})();

export const OPCODE_COUNT = TABLE.length;

/** Highest pickle protocol CPython writes and reads. */
export const HIGHEST_PROTOCOL = 5;

export function opcodeName(byte: number): string {
  return OPCODES[byte]?.name ?? `0x${byte.toString(16).padStart(2, '0')}`;
}
