import { analyseCell } from '../formats/datasets/analyseCell';
import { detectSecrets } from './detectSecrets';
import { benignCellTexts, benignCorpus } from './testing/benignCorpus';

/**
 * The false-positive budget (docs/benchmarks.md): on the benign corpus the secret detector may
 * flag at most 1 line in 10,000, and the dataset cell signatures at most 1 text in 1,000. Both are
 * at zero today; the budget is what a change may spend before it needs a reason.
 */
const SECRET_FP_BUDGET_PER_LINE = 1 / 10_000;
const CELL_FP_BUDGET_PER_TEXT = 1 / 1_000;

describe('false-positive budget', () => {
  it('keeps the secret detector within budget on benign configs, code, notebooks and docs', () => {
    const documents = benignCorpus();
    let lines = 0;
    const flagged: string[] = [];
    for (const { path, text } of documents) {
      lines += text.split('\n').length;
      for (const match of detectSecrets(text))
        flagged.push(`${path}:${match.line} ${match.kind} ${match.redacted}`);
    }
    expect(lines).toBeGreaterThan(10_000);
    expect(flagged.length / lines).toBeLessThanOrEqual(
      SECRET_FP_BUDGET_PER_LINE,
    );
    expect(flagged).toEqual([]);
  });

  it('keeps the dataset cell signatures within budget on benign reviews, code and docs', () => {
    const texts = benignCellTexts();
    const flagged = texts.filter(text => analyseCell(text, true).length > 0);
    expect(flagged.length / texts.length).toBeLessThanOrEqual(
      CELL_FP_BUDGET_PER_TEXT,
    );
    expect(flagged).toEqual([]);
  });
});
