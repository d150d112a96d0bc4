import { RemoteReadError } from '../../io/RemoteByteSource';

interface ListedBlob {
  name: string;
  etag: string;
  size: number;
}

export interface ListBlobsPage {
  blobs: ListedBlob[];
  nextMarker?: string;
}

/**
 * Reads a List Blobs answer (`<EnumerationResults><Blobs><Blob><Name/><Properties><Etag/>
 * <Content-Length/>…`). The shape is small and fixed, so a bounded extractor over it is enough; what
 * does not fit the shape is an error, never an empty (and so clean-looking) listing. `<BlobPrefix>`
 * entries (delimiter listings) are not requested and are ignored.
 */
export function parseListBlobs(xml: string): ListBlobsPage {
  const root =
    /<EnumerationResults\b[^>]*>([\s\S]*)<\/EnumerationResults>/.exec(xml);
  if (!root) throw new RemoteReadError('not a List Blobs answer');
  const body = root[1];
  const blobs: ListedBlob[] = [];
  for (const match of body.matchAll(/<Blob>([\s\S]*?)<\/Blob>/g)) {
    const blob = match[1];
    const nameMatch = /<Name(\s+Encoded="true")?>([\s\S]*?)<\/Name>/.exec(blob);
    const etag = element(blob, 'Etag');
    const size = element(blob, 'Content-Length');
    if (!nameMatch || etag === undefined || !/^\d{1,16}$/.test(size ?? '')) {
      throw new RemoteReadError(
        `a listed blob has no usable name, ETag or size: ${blob.slice(0, 200)}`,
      );
    }
    let name = unescapeXml(nameMatch[2]);
    // Names with characters XML cannot carry come percent-encoded and marked Encoded="true".
    if (nameMatch[1]) {
      try {
        name = decodeURIComponent(name);
      } catch {
        throw new RemoteReadError(
          `a listed blob name is badly encoded: ${name.slice(0, 200)}`,
        );
      }
    }
    blobs.push({ name, etag: unescapeXml(etag), size: Number(size) });
  }
  const next = element(
    body.replace(/<Blobs>[\s\S]*<\/Blobs>/, ''),
    'NextMarker',
  );
  return { blobs, ...(next ? { nextMarker: unescapeXml(next) } : {}) };
}

function element(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([^<]*)</${name}>|<${name}\\s*/>`).exec(
    xml,
  );
  return match ? match[1] ?? '' : undefined;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

function unescapeXml(value: string): string {
  return value.replace(
    /&(#x[0-9a-f]+|#\d+|[a-z]+);/gi,
    (whole, ref: string) => {
      if (ref[0] === '#') {
        const code =
          ref[1] === 'x' || ref[1] === 'X'
            ? parseInt(ref.slice(2), 16)
            : parseInt(ref.slice(1), 10);
        return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[ref] ?? whole;
    },
  );
}
