import type { Node } from 'web-tree-sitter';

/**
 * Why code might not run everywhere: a feature flag, an environment check, a typing-only block,
 * an optional import. Guarded code is still reported (flags flip, environments differ, and
 * guards are where payloads hide); the guard is shown so a reviewer can judge.
 */
export type GuardKind =
  | 'environment'
  | 'flag'
  | 'type-checking'
  | 'import-error'
  | 'script-entry';

export interface Guard {
  kind: GuardKind;
  /** The guard's first source line, trimmed, at most 120 characters. */
  text: string;
}

const MAX_GUARD_CHARS = 120;
/** Regions looked at, innermost first, when finding a node's guard: bounds hostile many-guard files. */
const MAX_REGIONS_SCANNED = 256;

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  const line = (newline < 0 ? text : text.slice(0, newline)).trim();
  return line.length > MAX_GUARD_CHARS
    ? `${line.slice(0, MAX_GUARD_CHARS - 1)}…`
    : line;
}

function conditionKind(condition: string): GuardKind | undefined {
  if (/\bTYPE_CHECKING\b/.test(condition)) return 'type-checking';
  if (/\b(environ|getenv)\b/.test(condition)) return 'environment';
  if (/\b__name__\b/.test(condition) && /__main__/.test(condition))
    return 'script-entry';
  if (
    /\b[A-Z][A-Z0-9_]{2,}\b/.test(condition) ||
    /\b(settings|config|flags|feature_flags)\./i.test(condition)
  ) {
    return 'flag';
  }
  return undefined;
}

/** Node types that can open a guarded region. */
export const GUARD_NODE_TYPES: ReadonlySet<string> = new Set([
  'if_statement',
  'elif_clause',
  'try_statement',
]);

interface Region {
  start: number;
  end: number;
  guard: Guard;
}

/**
 * The guarded regions of a module, found in one pass. Looking guards up by position instead of
 * walking `node.parent` matters: tree-sitter finds a parent by descending from the root, so
 * walking up from every call is cubic on deeply nested (hostile) code.
 */
export class GuardIndex {
  /** Sorted by start; regions nest or are disjoint, like the blocks they come from. */
  private readonly regions: Region[] = [];

  /**
   * `statements` are the module's nodes of `GUARD_NODE_TYPES`, found by the caller in the same
   * tree walk as the imports and calls (each walk of the tree crosses into WebAssembly per node).
   */
  constructor(statements: Iterable<Node>, private readonly source: string) {
    for (const node of statements) this.addRegions(node);
    this.regions.sort((a, b) => a.start - b.start || b.end - a.end);
  }

  /** The innermost guard around `node`, if any. */
  at(node: Node): Guard | undefined {
    const position = node.startIndex;
    let low = 0;
    let high = this.regions.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.regions[middle].start <= position) low = middle + 1;
      else high = middle;
    }
    for (
      let i = low - 1, scanned = 0;
      i >= 0 && scanned < MAX_REGIONS_SCANNED;
      i--, scanned++
    ) {
      const region = this.regions[i];
      if (region.end >= node.endIndex) return region.guard;
    }
    return undefined;
  }

  /** The start of a node's source, without copying a large block just to read its first line. */
  private head(node: Node): string {
    return this.source.slice(
      node.startIndex,
      Math.min(node.endIndex, node.startIndex + 4 * MAX_GUARD_CHARS),
    );
  }

  private addRegions(node: Node) {
    if (node.type === 'try_statement') {
      const handler = node.namedChildren.find(
        child =>
          child?.type === 'except_clause' &&
          /\b(ImportError|ModuleNotFoundError)\b/.test(
            firstLine(this.head(child)),
          ),
      );
      if (handler)
        this.add(node, {
          kind: 'import-error',
          text: firstLine(`try: … ${firstLine(this.head(handler))}`),
        });
      return;
    }
    const condition = node.childForFieldName('condition');
    const kind = condition ? conditionKind(this.head(condition)) : undefined;
    if (!kind) return;
    const text = firstLine(this.head(node));
    const consequence = node.childForFieldName('consequence');
    if (consequence) this.add(consequence, { kind, text });
    for (const alternative of node.type === 'if_statement'
      ? node.childrenForFieldName('alternative')
      : []) {
      if (alternative)
        this.add(alternative, { kind, text: firstLine(`${text} … else:`) });
    }
  }

  private add(node: Node, guard: Guard) {
    this.regions.push({ start: node.startIndex, end: node.endIndex, guard });
  }
}
