/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*", "assertReaderIsRobust"] }] */
import { Scanner } from '../../../engine/Scanner';
import { sentencePieceReader, looksLikeSentencePiece } from './reader';
import { message } from '../protobuf/__testUtils__/ProtoWriter';
import { assertReaderIsRobust } from '../common/__testUtils__/fuzzReader';
import { osSystemPickle } from '../common/__testUtils__/payloads';
import { pickleReader } from '../../pickle/pickleReader';

const float32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeFloatLE(value);
  return bytes;
};

/** A piece as sentencepiece_model.proto lays it out: piece (1), score (2, fixed32 float), type (3). */
const piece = (text: string, score: number, type: number) =>
  message()
    .bytes(1, text)
    .raw(Buffer.concat([Buffer.from([0x15]), float32(score)]))
    .varint(3, type);

const tokenizerModel = () =>
  message()
    .bytes(1, piece('<unk>', 0, 2))
    .bytes(1, piece('\u2581the', -1.5, 1))
    .bytes(1, piece('s', -2.5, 1))
    .bytes(2, message().bytes(1, 'corpus.txt').varint(3, 1))
    .bytes(3, message().bytes(1, 'nmt_nfkc'))
    .toBytes();

const scan = (bytes: Uint8Array) =>
  new Scanner({ readers: [sentencePieceReader, pickleReader] }).scanBytes(
    bytes,
    'tokenizer.model',
  );

describe('SentencePiece reader', () => {
  it('recognises a tokenizer model by content and finds nothing in it', async () => {
    const result = await scan(tokenizerModel());
    expect(result.files[0].formats).toEqual(['sentencepiece']);
    expect(result.findings).toEqual([]);
  });

  it('does not claim pickles, zips or other protobufs under the same name', async () => {
    expect(looksLikeSentencePiece(osSystemPickle(2))).toBe(false);
    expect(looksLikeSentencePiece(Buffer.from('PK\x03\x04', 'latin1'))).toBe(
      false,
    );
    // An ONNX ModelProto opens with ir_version (field 1 varint), not a piece.
    expect(looksLikeSentencePiece(message().varint(1, 8).toBytes())).toBe(
      false,
    );
    const disguised = await scan(osSystemPickle(2));
    expect(disguised.findings.map(f => f.ruleId)).toContain('PICKLE-EXEC');
  });

  it('reports a file that opens like a tokenizer model but holds other fields as malformed', async () => {
    const bytes = Buffer.concat([
      tokenizerModel(),
      message().varint(9, 1).toBytes(),
    ]);
    const result = await scan(bytes);
    expect(result.findings).toEqual([
      expect.objectContaining({
        ruleId: 'MODEL-MALFORMED',
        severity: 'high',
        message: expect.stringContaining('field 9'),
      }),
    ]);
  });

  it('reports a truncated tokenizer model as malformed', async () => {
    const bytes = tokenizerModel();
    const result = await scan(bytes.subarray(0, bytes.length - 3));
    expect(result.findings.map(f => f.ruleId)).toEqual(['MODEL-MALFORMED']);
  });

  it('never throws on mutated input', async () => {
    await assertReaderIsRobust(sentencePieceReader, 'tokenizer.model', [
      tokenizerModel(),
    ]);
  });
});
