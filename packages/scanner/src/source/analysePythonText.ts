import { KNOWN_SYMBOLS, riskyCallFilter } from './callFilter';
import { classifyCall, type CallObservation } from './classifyCall';
import { parsePython } from './pythonParser';
import { readPythonModule, type CallSite } from './pythonModule';
import { normaliseIdentifiers } from './sourceText';

const WANT_CALL = riskyCallFilter();

export interface PythonTextCall {
  call: CallSite;
  observations: CallObservation[];
}

export type PythonTextAnalysis =
  | { kind: 'ok'; calls: PythonTextCall[]; hasSyntaxErrors: boolean }
  | { kind: 'error'; reason: string };

/**
 * The source analyzer's call classification over one piece of Python text that is not a file of
 * the project (a notebook's code cells). Same parser, same alias resolution, same SOURCE-* rules;
 * the caller maps lines back to where the text came from. Identifiers are read in their NFKC form,
 * as CPython runs them (cells are already text: no encoding declaration applies).
 */
export async function analysePythonText(
  written: string,
  context: { torchVersion?: string; serving?: boolean } = {},
): Promise<PythonTextAnalysis> {
  const text = normaliseIdentifiers(written);
  let tree;
  try {
    tree = await parsePython(text);
  } catch (error) {
    return {
      kind: 'error',
      reason: `the Python parser failed: ${(error as Error).message}`,
    };
  }
  if (!tree)
    return {
      kind: 'error',
      reason: 'the Python parser gave up within its time budget',
    };
  try {
    const syntax = readPythonModule(tree, text, {
      knownSymbols: KNOWN_SYMBOLS,
      wantCall: WANT_CALL,
    });
    const calls = syntax.calls
      .map(call => ({
        call,
        observations: classifyCall(call, {
          torchVersion: context.torchVersion,
          serving: context.serving ?? false,
        }),
      }))
      .filter(entry => entry.observations.length > 0);
    return { kind: 'ok', calls, hasSyntaxErrors: syntax.hasSyntaxErrors };
  } catch (error) {
    return {
      kind: 'error',
      reason: `the Python reader failed: ${(error as Error).message}`,
    };
  } finally {
    tree.delete();
  }
}
