import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { createHash } from 'node:crypto';

export interface ReadDocument {
  text: string;
  /** `sha256:<hex>` of the bytes read. */
  digest: string;
}

/**
 * Reads a system prompt or probe suite through the backend's UrlReader (so only hosts allowed by
 * `backend.reading`/integrations are reachable, and repository files are read at what the
 * location names), refusing anything larger than `maxBytes` while streaming.
 */
export async function readDocument(
  reader: UrlReaderService,
  url: string,
  maxBytes: number,
): Promise<ReadDocument> {
  const response = await reader.readUrl(url);
  let bytes: Buffer;
  if (response.stream) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.stream()) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
    bytes = Buffer.concat(chunks);
  } else {
    bytes = await response.buffer();
    if (bytes.length > maxBytes)
      throw new Error(`larger than ${maxBytes} bytes`);
  }
  return {
    text: new TextDecoder('utf-8', { fatal: false }).decode(bytes),
    digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
  };
}
