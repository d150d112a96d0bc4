import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import { describeMagic } from '../common/magic';
import { reportDisguise } from '../common/disguise';
import { signalAt } from '../common/signals';
import { modelComponent } from '../common/component';
import { headerLengthOf, validateSafetensorsHeader } from './header';

const OPEN_BRACE = 0x7b;

function namedSafetensors(name: string): boolean {
  return name.toLowerCase().endsWith('.safetensors');
}

/** Content test: a plausible u64 header length followed by a JSON object. */
export function looksLikeSafetensors(head: Uint8Array, size: number): boolean {
  if (head.length < 10 || head[8] !== OPEN_BRACE) return false;
  const length = headerLengthOf(head);
  return length >= 2 && length <= size - 8;
}

/**
 * safetensors: the recommended, data-only format. A valid file yields no finding at all; every
 * deviation from the format is a finding, since loaders that disagree on a file can be played
 * against each other. Reads the 8-byte prefix and the header only.
 */
export const safetensorsReader: FormatReader = {
  id: 'safetensors',
  // Above the pickle and archive readers: a `.safetensors` name is claimed whatever the content,
  // so a disguised pickle is reported as such before being handed on.
  priority: 1000,
  sniff: (head, name, size) =>
    namedSafetensors(name) || looksLikeSafetensors(head, size),
  async read(input: ReaderInput, ctx: ReaderContext) {
    const { source } = input;
    const notSafetensorsShaped =
      input.head.length < 9 || input.head[8] !== OPEN_BRACE;
    if (notSafetensorsShaped && describeMagic(input.head) !== 'unknown') {
      await reportDisguise(input, ctx, 'safetensors');
      return;
    }
    ctx.setFormat('safetensors');
    const invalid = (key: string, message: string, evidence = {}) =>
      ctx.emit(
        signalAt(input, 'MODEL-SAFETENSORS-INVALID', message, key, evidence),
      );

    if (source.size < 10) {
      invalid(
        'too-short',
        `only ${source.size} bytes: too short for a safetensors header`,
      );
      return;
    }
    const headerLength = headerLengthOf(await source.read(0, 8));
    if (headerLength > source.size - 8) {
      invalid(
        'header-beyond-eof',
        `header length ${headerLength} is beyond the file size (${source.size} bytes)`,
        {
          headerLength,
          fileSize: source.size,
        },
      );
      return;
    }
    if (headerLength > ctx.limits.maxHeaderBytes) {
      ctx.emit(
        signalAt(
          input,
          'SCAN-LIMIT',
          `safetensors header of ${headerLength} bytes exceeds maxHeaderBytes (${ctx.limits.maxHeaderBytes})`,
          'safetensors:maxHeaderBytes',
          {
            limit: 'maxHeaderBytes',
            value: headerLength,
          },
        ),
      );
      return;
    }
    let headerText: string;
    try {
      headerText = new TextDecoder('utf-8', { fatal: true }).decode(
        await source.read(8, headerLength),
      );
    } catch {
      invalid('header-not-utf8', 'the header is not valid UTF-8');
      return;
    }
    const dataSize = source.size - 8 - headerLength;
    const header = validateSafetensorsHeader(headerText, dataSize);
    for (const problem of header.issues) {
      invalid(
        problem.key,
        `Invalid safetensors header: ${problem.message}`,
        problem.tensor ? { tensor: problem.tensor } : {},
      );
    }
    const properties: Record<string, string> = {
      tensors: String(header.tensorCount),
    };
    for (const [key, value] of Object.entries(header.metadata).slice(0, 20)) {
      properties[`safetensors.metadata.${key}`] = value.slice(0, 200);
    }
    ctx.addComponent(modelComponent(input, 'safetensors', properties));
  },
};
