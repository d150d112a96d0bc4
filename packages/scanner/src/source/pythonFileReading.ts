// Decodes and parses one Python file for the source analyzer, emitting a finding for each file it cannot analyse.
import type { ProjectContext } from '../engine/ProjectAnalyzer';
import { LimitExceededError } from '../engine/errors';
import { PathEscapeError } from '../io/ScanTree';
import type { Signal } from '../model/evidence';
import { KNOWN_SYMBOLS, type CallFilter } from './callFilter';
import { parsePython } from './pythonParser';
import { readPythonModule, type ModuleSyntax } from './pythonModule';
import { prepareSource, type PreparedSource } from './sourceText';

export type PreparedText = Extract<PreparedSource, { kind: 'text' }>;

/**
 * The text CPython would run (see `sourceText.ts`), or undefined when there is none to analyse:
 * unreadable, or in a codec not decoded here, which is a finding rather than a UTF-8 guess.
 */
export async function preparePythonFile(
  ctx: ProjectContext,
  path: string,
  utf8: string | undefined,
  firstParty: boolean,
  prefilter: RegExp,
): Promise<PreparedText | undefined> {
  if (utf8 === undefined) return undefined;
  let source: PreparedSource;
  try {
    source = await prepareSource(utf8, () => readBytes(ctx, path), prefilter);
  } catch (error) {
    reportUnreadable(ctx, path, error, firstParty);
    return undefined;
  }
  if (source.kind === 'text') return source;
  const { declaration } = source;
  ctx.emit({
    ruleId: 'SOURCE-UNDECODED-ENCODING',
    message: `Python source not analysed: it declares the ${declaration.name} encoding, which CPython decodes before it runs the file and this scanner does not; read as UTF-8 its code could differ from what runs`,
    location: { path, line: declaration.line },
    evidence: { encoding: declaration.name, snippet: declaration.text },
    key: `encoding:${declaration.name.toLowerCase()}`,
  });
  return undefined;
}

export function reportUnreadable(
  ctx: ProjectContext,
  path: string,
  error: unknown,
  firstParty: boolean,
) {
  if (error instanceof PathEscapeError) return; // the scan tree reported it
  const tooLarge = error instanceof LimitExceededError;
  ctx.emit({
    // An oversized file of the project's own could hide anything: that is a scan limit, not a shrug.
    ruleId: tooLarge && firstParty ? 'SCAN-LIMIT' : 'SOURCE-PARSE-ERROR',
    message: `Python source not analysed: ${
      (error as Error)?.message ?? String(error)
    }`,
    location: { path },
    evidence: tooLarge ? { limit: 'maxTextBytes' } : {},
    key: tooLarge ? 'python-source:maxTextBytes' : 'read',
  });
}

export async function parsePythonFile(
  ctx: ProjectContext,
  path: string,
  text: string,
  wantCall: CallFilter,
): Promise<ModuleSyntax | undefined> {
  let tree;
  try {
    tree = await parsePython(text);
  } catch (error) {
    ctx.emit(
      parseError(path, `the Python parser failed: ${(error as Error).message}`),
    );
    return undefined;
  }
  if (!tree) {
    ctx.emit(
      parseError(path, 'the Python parser gave up within its time budget'),
    );
    return undefined;
  }
  try {
    return readPythonModule(tree, text, {
      knownSymbols: KNOWN_SYMBOLS,
      wantCall,
    });
  } catch (error) {
    // One hostile file must not end the analysis of the others.
    ctx.emit(
      parseError(path, `the Python reader failed: ${(error as Error).message}`),
    );
    return undefined;
  } finally {
    tree.delete();
  }
}

/** The raw bytes of a file whose declared codec must be decoded from them (latin-1 family). */
async function readBytes(
  ctx: ProjectContext,
  path: string,
): Promise<Uint8Array> {
  const source = await ctx.openSource(path);
  try {
    if (source.size > ctx.limits.maxTextBytes)
      throw new LimitExceededError(
        'maxTextBytes',
        `${path} is ${source.size} bytes, over the ${ctx.limits.maxTextBytes}-byte text limit`,
      );
    return await source.read(0, source.size);
  } finally {
    await source.close();
  }
}

function parseError(path: string, reason: string): Signal {
  return {
    ruleId: 'SOURCE-PARSE-ERROR',
    message: `Python source not analysed: ${reason}`,
    location: { path },
    evidence: {},
    key: 'parse',
  };
}
