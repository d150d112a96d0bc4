// The syntax model of one Python module (imports, resolved calls) and the single tree walk that reads it.
import type { Node, Tree } from 'web-tree-sitter';
import { CallSiteReader } from './callSiteReader';
import { GUARD_NODE_TYPES, GuardIndex, type Guard } from './guards';
import { ImportBindings } from './importBindings';
import { excerpt } from './syntaxNodes';

/** An argument as the analysis sees it: its text, and its value when it is a constant. */
export interface ArgumentValue {
  text: string;
  /** Constant value: a string (folded from literals), a boolean, `null` for None, a number. */
  value?: string | boolean | number | null;
  /** The string was assembled (`'lo' + 'ad'`, `''.join([...])`) rather than written as one literal. */
  assembled?: boolean;
  /** Fully qualified name when the argument is a name bound to an import (`yaml.SafeLoader`). */
  symbol?: string;
}

export interface ImportSite {
  module: string;
  name?: string;
  alias?: string;
  relative?: boolean;
  dynamic?: boolean;
  line: number;
  guard?: Guard;
}

export interface CallSite {
  /** Fully qualified callee after resolving import aliases (`torch.load`), when it resolves. */
  symbol?: string;
  /** The callee as written (`tl`, `pk.loads`). */
  callee: string;
  positional: ArgumentValue[];
  keywords: Record<string, ArgumentValue>;
  /** `**kwargs` was passed: keyword checks cannot be conclusive. */
  keywordSplat: boolean;
  line: number;
  column: number;
  /** The call's source without formatting whitespace, at most 160 characters: stable across line shifts. */
  normalisedText: string;
  /** The source line the call starts on, trimmed, at most 200 characters. */
  snippet: string;
  /** The call's own guard, else the guard of the import its callee came through. */
  guard?: Guard;
}

export interface ModuleSyntax {
  imports: ImportSite[];
  calls: CallSite[];
  /** Declares web routes (`@app.get(...)`, `@router.post(...)`, `add_url_rule`): serving code. */
  definesRoutes: boolean;
  /** The parser recovered from syntax errors; what could be read was still analysed. */
  hasSyntaxErrors: boolean;
}

export interface ReadOptions {
  /** Symbols a star import may provide (`from pickle import *` then `loads(...)`). */
  knownSymbols: ReadonlySet<string>;
  /**
   * Which calls to read fully (arguments, guard, snippet): most calls in a module (`self.linear(x)`,
   * `logger.info(...)`) matter to nobody, and reading them costs as much as parsing. Default: all.
   * `hasKeyword(name)` says whether the call passes `name=`; it reads the arguments only when the
   * name occurs in the call's text at all.
   */
  wantCall?: (
    symbol: string | undefined,
    callee: string,
    hasKeyword: (name: string) => boolean,
  ) => boolean;
}

const ROUTE_DECORATOR =
  /^@\s*[\w.]+\.(get|post|put|patch|delete|head|options|route|api_route|websocket)\s*\(/;
/** The node types the reader looks at, found in one walk of the tree. */
const READ_NODE_TYPES = [
  'import_statement',
  'import_from_statement',
  'assignment',
  'call',
  'decorator',
  ...GUARD_NODE_TYPES,
];

/** Reads imports, aliases and calls from a parsed module. Pure: the tree is only read. */
export function readPythonModule(
  tree: Tree,
  source: string,
  options: ReadOptions,
): ModuleSyntax {
  const root = tree.rootNode;
  // One walk for every node type read (each node's type is one WebAssembly call: read it once).
  const nodes: Node[] = [];
  const types: string[] = [];
  const guardStatements: Node[] = [];
  for (const node of root.descendantsOfType(READ_NODE_TYPES)) {
    if (!node) continue;
    const type = node.type;
    if (GUARD_NODE_TYPES.has(type)) guardStatements.push(node);
    else {
      nodes.push(node);
      types.push(type);
    }
  }
  const guards = new GuardIndex(guardStatements, source);
  const imports: ImportSite[] = [];
  const names = new ImportBindings(
    source,
    options.knownSymbols,
    guards,
    imports,
  );
  // Bindings first, calls second: a module-level import below a function still binds inside it.
  const calls: Node[] = [];
  let definesRoutes = false;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    switch (types[i]) {
      case 'import_statement':
        names.readImport(node);
        break;
      case 'import_from_statement':
        names.readFromImport(node);
        break;
      case 'assignment':
        names.readAssignment(node);
        break;
      case 'decorator':
        definesRoutes ||= ROUTE_DECORATOR.test(excerpt(source, node, 200));
        break;
      default:
        calls.push(node);
    }
  }
  const reader = new CallSiteReader(source, options, guards, names, imports);
  const callSites: CallSite[] = [];
  for (const node of calls) {
    const site = reader.readCall(node);
    if (site === 'route') definesRoutes = true;
    else if (site) callSites.push(site);
  }
  return {
    imports,
    calls: callSites,
    definesRoutes,
    hasSyntaxErrors: root.hasError,
  };
}
