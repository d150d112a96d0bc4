/**
 * Just enough DER to read X.509 extensions node's X509Certificate does not expose (the Fulcio
 * OIDC issuer). Pure, bounded by the input: every length is checked against the bytes left.
 */
export interface DerNode {
  tag: number;
  /** Content bytes (without tag and length). */
  value: Uint8Array;
}

function readNode(
  bytes: Uint8Array,
  offset: number,
): { node: DerNode; end: number } {
  if (offset + 2 > bytes.length) throw new Error('DER: truncated header');
  const tag = bytes[offset];
  if ((tag & 0x1f) === 0x1f)
    throw new Error('DER: multi-byte tags are not used in certificates');
  let length = bytes[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new Error('DER: unsupported length');
    if (start + count > bytes.length) throw new Error('DER: truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i];
    start += count;
  }
  const end = start + length;
  if (end > bytes.length) throw new Error('DER: length past the end');
  return { node: { tag, value: bytes.subarray(start, end) }, end };
}

/** The children of a constructed value (SEQUENCE, SET, context tags). */
export function children(value: Uint8Array): DerNode[] {
  const nodes: DerNode[] = [];
  for (let offset = 0; offset < value.length; ) {
    const { node, end } = readNode(value, offset);
    nodes.push(node);
    offset = end;
  }
  return nodes;
}

function decodeOid(value: Uint8Array): string {
  const parts: number[] = [];
  let current = 0;
  for (const byte of value) {
    current = current * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (parts.length === 0)
        parts.push(
          Math.min(2, Math.floor(current / 40)),
          current - Math.min(2, Math.floor(current / 40)) * 40,
        );
      else parts.push(current);
      current = 0;
    }
  }
  return parts.join('.');
}

/** Extensions of a DER certificate, by OID → extnValue (the OCTET STRING's content). */
export function certificateExtensions(
  der: Uint8Array,
): Map<string, Uint8Array> {
  const [certificate] = children(der);
  if (!certificate || certificate.tag !== 0x30)
    throw new Error('DER: not a certificate');
  const [tbs] = children(certificate.value);
  const extensions = new Map<string, Uint8Array>();
  for (const field of children(tbs.value)) {
    if (field.tag !== 0xa3) continue; // [3] extensions
    const [list] = children(field.value);
    for (const extension of children(list.value)) {
      const parts = children(extension.value);
      const oid = parts[0];
      const octets = parts[parts.length - 1];
      if (oid?.tag === 0x06 && octets?.tag === 0x04)
        extensions.set(decodeOid(oid.value), octets.value);
    }
  }
  return extensions;
}

/** Text of a DER UTF8String / IA5String / PrintableString, or undefined for another type. */
export function derString(value: Uint8Array): string | undefined {
  const { node } = readNode(value, 0);
  if (node.tag !== 0x0c && node.tag !== 0x16 && node.tag !== 0x13)
    return undefined;
  return Buffer.from(node.value).toString('utf8');
}
