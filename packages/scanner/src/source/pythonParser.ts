import { readFileSync } from 'node:fs';
import type * as TreeSitter from 'web-tree-sitter';
import type { Parser, Tree } from 'web-tree-sitter';

let treeSitterModule: typeof TreeSitter | undefined;
/** Required on first parse: a scan with no Python in it (a model file) does not load the runtime. */
function treeSitter(): typeof TreeSitter {
  return (treeSitterModule ??= require('web-tree-sitter'));
}

/**
 * One tree-sitter Python parser per process, created on first use: loading the WebAssembly
 * runtime and grammar costs ~50 ms, parsing a file afterwards well under a millisecond per KB.
 * The grammar is handed over as bytes because `Language.load(path)` uses a dynamic `import()`
 * that Jest (and some bundlers) cannot run.
 */
let parserPromise: Promise<Parser> | undefined;

async function createParser(): Promise<Parser> {
  const { Language, Parser } = treeSitter();
  await Parser.init();
  const grammar = readFileSync(
    require.resolve('tree-sitter-python/tree-sitter-python.wasm'),
  );
  const language = await Language.load(new Uint8Array(grammar));
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

export function getPythonParser(): Promise<Parser> {
  if (!parserPromise) {
    parserPromise = createParser().catch(error => {
      parserPromise = undefined; // let a later scan retry rather than caching the failure
      throw error;
    });
  }
  return parserPromise;
}

/** Longest a single file may take to parse; pathological inputs are cancelled, not waited for. */
const PARSE_BUDGET_MS = 5_000;

/**
 * Parses Python source, tolerating syntax errors (they become ERROR nodes in the tree). Returns
 * `undefined` only when the parser gives up (time budget). The caller must `delete()` the tree.
 */
export async function parsePython(text: string): Promise<Tree | undefined> {
  const parser = await getPythonParser();
  const deadline = Date.now() + PARSE_BUDGET_MS;
  // The parser calls back every few hundred steps; reading the clock on every 64th call keeps the
  // budget to within a few milliseconds without a clock read per callback.
  let calls = 0;
  const tree = parser.parse(text, null, {
    progressCallback: () => (++calls & 63) === 0 && Date.now() > deadline,
  });
  if (!tree) parser.reset();
  return tree ?? undefined;
}
