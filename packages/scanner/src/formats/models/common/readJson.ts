import type { ReaderContext, ReaderInput } from '../../../engine/FormatReader';
import { readAll } from '../../../io/ByteSource';
import { tryParseJson } from './boundedJson';
import { signalAt } from './signals';

/**
 * Reads a JSON file within `maxTextBytes` (a larger one is a SCAN-LIMIT signal and yields
 * undefined). `value` is undefined when the text is not JSON. A UTF-8 BOM is tolerated.
 */
export async function readJsonInput(
  input: ReaderInput,
  ctx: ReaderContext,
  readerId: string,
): Promise<{ value: unknown } | undefined> {
  if (input.source.size > ctx.limits.maxTextBytes) {
    ctx.emit(
      signalAt(
        input,
        'SCAN-LIMIT',
        `${input.name} of ${input.source.size} bytes exceeds maxTextBytes (${ctx.limits.maxTextBytes})`,
        `${readerId}:maxTextBytes`,
        {
          limit: 'maxTextBytes',
        },
      ),
    );
    return undefined;
  }
  const text = Buffer.from(await readAll(input.source)).toString('utf8');
  return { value: tryParseJson(text.replace(/^\uFEFF/, '')) };
}

/**
 * The head of a file as JSON text from its first significant character: Python's json.load skips
 * a UTF-8 BOM (with utf-8-sig) and any amount of whitespace, so a sniff must not stop at either.
 * An empty result means the whole head was blank: the JSON, if any, starts further on.
 */
export function jsonHeadText(head: Uint8Array): string {
  return Buffer.from(head)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/^[ \t\r\n]+/, '');
}
