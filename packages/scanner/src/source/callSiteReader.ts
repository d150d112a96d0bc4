// Reads one module's call nodes into `CallSite`s: resolved callee, argument values, guard, stable text and snippet.
import type { Node } from 'web-tree-sitter';
import type { GuardIndex } from './guards';
import type { ImportBindings } from './importBindings';
import type {
  ArgumentValue,
  CallSite,
  ImportSite,
  ReadOptions,
} from './pythonModule';
import {
  argumentNodes,
  constantString,
  excerpt,
  position,
} from './syntaxNodes';

const ROUTE_REGISTRATION = /\.(add_url_rule|add_api_route|add_route)$/;

/** Call text without formatting: reflowing or re-indenting a call (black, an editor) keeps its key. */
function normaliseCall(text: string): string {
  return clip(
    text.replace(/\s+/g, ' ').replace(/\s*([()[\]{},.:=+*])\s*/g, '$1'),
    160,
  );
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Reads the calls of one module, once its bindings are read (`names`); a constant
 * `__import__('m')` / `importlib.import_module('m')` call is also recorded in `imports`.
 */
export class CallSiteReader {
  private lines: string[] | undefined;

  constructor(
    private readonly source: string,
    private readonly options: ReadOptions,
    private readonly guards: GuardIndex,
    private readonly names: ImportBindings,
    private readonly imports: ImportSite[],
  ) {}

  private argumentValue(node: Node): ArgumentValue {
    const text = excerpt(this.source, node, 200);
    switch (node.type) {
      case 'true':
        return { text, value: true };
      case 'false':
        return { text, value: false };
      case 'none':
        return { text, value: null };
      case 'integer':
      case 'float':
        return { text, value: Number(node.text) };
      default: {
        const folded = constantString(node);
        if (folded)
          return {
            text,
            value: folded.value,
            assembled: folded.assembled || undefined,
          };
        const symbol = ['identifier', 'attribute', 'call'].includes(node.type)
          ? this.names.qualify(node)
          : undefined;
        return { text, symbol };
      }
    }
  }

  /** Whether a call passes `name=...`: only read from the tree when `name` is in the call's text. */
  private passesKeyword(call: Node, name: string): boolean {
    const at = this.source.indexOf(name, call.startIndex);
    if (at < 0 || at >= call.endIndex) return false;
    return argumentNodes(call).some(
      arg =>
        arg.type === 'keyword_argument' &&
        arg.childForFieldName('name')?.text === name,
    );
  }

  private sourceLine(row: number): string {
    this.lines ??= this.source.split('\n');
    return clip((this.lines[row] ?? '').trim(), 200);
  }

  /** A call site, `'route'` for a route registration, or undefined when the caller does not want it. */
  readCall(node: Node): CallSite | 'route' | undefined {
    const callee = node.childForFieldName('function');
    const calleeText = callee ? excerpt(this.source, callee, 200) : '';
    if (ROUTE_REGISTRATION.test(calleeText)) return 'route';
    const symbol = callee
      ? this.names.qualify(callee, 0, calleeText)
      : undefined;
    const imported = this.names.importedByCall(node, symbol);
    if (
      !imported &&
      this.options.wantCall &&
      !this.options.wantCall(symbol, calleeText, name =>
        this.passesKeyword(node, name),
      )
    )
      return undefined;
    const argumentList = argumentNodes(node);
    const positional: ArgumentValue[] = [];
    const keywords: Record<string, ArgumentValue> = {};
    let keywordSplat = false;
    for (const arg of argumentList) {
      if (arg.type === 'keyword_argument') {
        const name = arg.childForFieldName('name')?.text;
        const value = arg.childForFieldName('value');
        if (name && value) keywords[name] = this.argumentValue(value);
      } else if (arg.type === 'dictionary_splat') {
        keywordSplat = true;
      } else {
        positional.push(this.argumentValue(arg));
      }
    }
    const rootGuard = symbol
      ? this.names.guardOf(calleeText.split(/[.(]/)[0])
      : undefined;
    const guard = this.guards.at(node) ?? rootGuard;
    if (imported)
      this.imports.push({
        module: imported,
        dynamic: true,
        line: node.startPosition.row + 1,
        guard,
      });
    return {
      symbol,
      callee: calleeText,
      positional,
      keywords,
      keywordSplat,
      ...position(node),
      normalisedText: normaliseCall(excerpt(this.source, node, 400)),
      snippet: this.sourceLine(node.startPosition.row),
      guard,
    };
  }
}
