// False-positive rates of the secret detector and the dataset cell signatures on the generated benign
// corpus (packages/scanner/src/secrets/testing/benignCorpus.ts).  node bench/run.js falsePositives
import { analyseCell } from '../packages/scanner/src/formats/datasets/analyseCell';
import { detectSecrets } from '../packages/scanner/src/secrets/detectSecrets';
import {
  benignCellTexts,
  benignCorpus,
} from '../packages/scanner/src/secrets/testing/benignCorpus';

export async function main(args: string[]): Promise<void> {
  const verbose = args.includes('--verbose');
  const documents = benignCorpus();
  let lines = 0;
  const flaggedDocs = new Set<string>();
  const flagged: string[] = [];
  for (const { path, text } of documents) {
    const textLines = text.split('\n');
    lines += textLines.length;
    for (const match of detectSecrets(text)) {
      flaggedDocs.add(path);
      flagged.push(
        `${path}:${match.line} ${match.kind}: ${textLines[match.line - 1].slice(
          0,
          100,
        )}`,
      );
    }
  }
  console.log(
    `secret detector: ${flagged.length} findings on ${lines} benign lines (${(
      (flagged.length / lines) *
      10_000
    ).toFixed(2)} per 10k lines), ${flaggedDocs.size} of ${
      documents.length
    } documents`,
  );
  const texts = benignCellTexts();
  const cells = texts.filter(text => analyseCell(text, true).length > 0);
  console.log(
    `cell signatures: ${cells.length} of ${
      texts.length
    } benign texts flagged (${((cells.length / texts.length) * 1000).toFixed(
      2,
    )} per 1k)`,
  );
  if (verbose) {
    for (const line of [
      ...new Set(flagged.map(f => f.replace(/^[^:]*:\d+ /, ''))),
    ])
      console.log(`  ${line}`);
    for (const text of new Set(cells.map(t => t.replace(/ https.*$/, ''))))
      console.log(
        `  cell: ${text} → ${analyseCell(text, true).map(f => f.signature)}`,
      );
  }
}
