import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import { ProtoError, WireType } from '../protobuf/wire';
import { protoReaderFor } from '../protobuf/walkLimits';
import { signalAt } from '../common/signals';

/**
 * SentencePiece tokenizer models (`tokenizer.model` in NeMo, T5 and Llama 2 repositories): a
 * protobuf `ModelProto` of pieces, trainer, normalizer and denormalizer specs. The loader parses
 * it as data and runs nothing, so a well-formed one has no finding; it is read only to tell it
 * from the pickles and zips that hide under the same `.model` name (those have their own readers).
 */
const MODEL_PROTO_FIELDS = new Map([
  [1, 'pieces'],
  [2, 'trainer_spec'],
  [3, 'normalizer_spec'],
  [4, 'self_test_data'],
  [5, 'denormalizer_spec'],
]);
/** SentencePiece fields: piece (1, string), score (2, float), type (3, enum). */
const PIECE_SCORE_TAG = 0x15;
const PIECE_TYPE_TAG = 0x18;

function varintAt(head: Uint8Array, at: number): [number, number] | undefined {
  let value = 0;
  for (let i = 0; i < 5 && at + i < head.length; i++) {
    value += (head[at + i] & 0x7f) * 2 ** (7 * i);
    if ((head[at + i] & 0x80) === 0) return [value, at + i + 1];
  }
  return undefined;
}

/** A ModelProto opens with its first piece: `0a <len> 0a <len> <piece> 15 <score>` (or the type tag). */
export function looksLikeSentencePiece(head: Uint8Array): boolean {
  if (head[0] !== 0x0a) return false;
  const outer = varintAt(head, 1);
  if (!outer || head[outer[1]] !== 0x0a) return false;
  const piece = varintAt(head, outer[1] + 1);
  if (!piece || piece[0] === 0 || piece[0] > 64) return false;
  const after = piece[1] + piece[0];
  if (after >= head.length || after > outer[1] + outer[0]) return false;
  const next = head[after];
  return next === PIECE_SCORE_TAG || next === PIECE_TYPE_TAG;
}

export const sentencePieceReader: FormatReader = {
  id: 'sentencepiece',
  priority: 15,
  sniff: head => looksLikeSentencePiece(head),
  async read(input: ReaderInput, ctx: ReaderContext) {
    ctx.setFormat('sentencepiece');
    const proto = protoReaderFor(input.source, ctx);
    try {
      for await (const field of proto.fields(0, input.source.size)) {
        if (
          !MODEL_PROTO_FIELDS.has(field.field) ||
          field.wireType !== WireType.LengthDelimited
        )
          throw new ProtoError(
            `field ${field.field} (wire type ${field.wireType}) is not part of a SentencePiece ModelProto`,
            field.offset,
          );
      }
    } catch (error) {
      if (!(error instanceof ProtoError)) throw error;
      ctx.emit(
        signalAt(
          input,
          'MODEL-MALFORMED',
          `Opens like a SentencePiece model but is not one: ${error.message} at offset ${error.offset}; a loader refuses it, and what else reads it is unknown`,
          'sentencepiece-malformed',
          {},
          { offset: error.offset },
        ),
      );
    }
  },
};
