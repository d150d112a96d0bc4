import { BufferSource } from '../../io/ByteSource';
import { LimitExceededError } from '../../engine/errors';
import {
  FACT_DEPENDENCIES,
  type DeclaredPackage,
  type DependencyFacts,
} from '../../engine/facts';
import type { ProjectContext } from '../../engine/ProjectAnalyzer';
import type { Signal } from '../../model/evidence';
import { DEFAULT_LIMITS } from '../../model/limits';
import { SOURCE_ANALYZERS } from '../index';
import { parsePython } from '../pythonParser';
import { readPythonModule, type ModuleSyntax } from '../pythonModule';
import { CALL_FAMILY } from '../data/riskyCalls';

export interface SourceProjectOptions {
  hardenedModules?: string[];
  dependencies?: DependencyFacts;
  maxTextBytes?: number;
  servingProject?: boolean;
}

/**
 * An in-memory project: file path → content (text, or bytes read as UTF-8 like the scan tree does).
 * Runs the source analyzers and returns what they emitted.
 */
export async function analyzeSourceProject(
  files: Record<string, string | Uint8Array>,
  options: SourceProjectOptions = {},
) {
  const signals: Signal[] = [];
  const facts = new Map<string, unknown>();
  if (options.dependencies) facts.set(FACT_DEPENDENCIES, options.dependencies);
  const limits = {
    ...DEFAULT_LIMITS,
    maxTextBytes: options.maxTextBytes ?? DEFAULT_LIMITS.maxTextBytes,
  };
  const ctx: ProjectContext = {
    root: '/project',
    files: Object.keys(files).sort(),
    limits,
    options: {
      hardenedModules: options.hardenedModules,
      servingProject: options.servingProject,
    },
    facts,
    emit: signal => signals.push(signal),
    addComponent: () => undefined,
    components: [],
    async readText(path) {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: ${path}`);
      if (Buffer.byteLength(text) > limits.maxTextBytes)
        throw new LimitExceededError('maxTextBytes', `${path} is too large`);
      return typeof text === 'string'
        ? text
        : Buffer.from(text).toString('utf8');
    },
    async openSource(path) {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: ${path}`);
      return Object.assign(new BufferSource(Buffer.from(text)), {
        close: async () => undefined,
      });
    },
  };
  for (const analyzer of SOURCE_ANALYZERS) await analyzer.analyze(ctx);
  return { signals, facts };
}

/** A declared package for dependency facts in tests. */
export function declared(
  name: string,
  direct: boolean,
  extra: Partial<DeclaredPackage> = {},
): DeclaredPackage {
  return {
    name,
    direct,
    paths: direct ? [['app', name]] : [],
    declaredIn: direct ? ['requirements.txt'] : [],
    ...extra,
  };
}

export async function readSource(source: string): Promise<ModuleSyntax> {
  const tree = await parsePython(source);
  if (!tree) throw new Error('parse gave up');
  try {
    return readPythonModule(tree, source, {
      knownSymbols: new Set(CALL_FAMILY.keys()),
    });
  } finally {
    tree.delete();
  }
}

/** Signals of one rule, as `[symbol, severity]` pairs in emission order. */
export function summarise(
  signals: Signal[],
  ruleId: string,
): Array<[string | undefined, string | undefined]> {
  return signals
    .filter(signal => signal.ruleId === ruleId)
    .map(signal => [signal.evidence.symbol, signal.severity]);
}

/** `pickle` → `ｐｉｃｋｌｅ`: the fullwidth forms CPython reads as the ASCII name (PEP 3131). */
export function fullwidth(ascii: string): string {
  return ascii.replace(/[A-Za-z]/g, letter =>
    String.fromCodePoint(letter.codePointAt(0)! + 0xfee0),
  );
}
