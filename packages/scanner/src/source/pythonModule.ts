import type { Node, Tree } from 'web-tree-sitter';
import { GUARD_NODE_TYPES, GuardIndex, type Guard } from './guards';

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

/**
 * Deepest expression followed when resolving names or folding strings. Real code nests a few
 * levels; hostile files nest thousands to overflow the stack of recursive readers.
 */
const MAX_EXPRESSION_DEPTH = 64;
const BUILTINS = new Set([
  'eval',
  'exec',
  'compile',
  '__import__',
  'getattr',
  'open',
]);
const IMPORT_FUNCTIONS = new Set([
  '__import__',
  'importlib.import_module',
  'importlib.__import__',
]);
const ROUTE_DECORATOR =
  /^@\s*[\w.]+\.(get|post|put|patch|delete|head|options|route|api_route|websocket)\s*\(/;
const ROUTE_REGISTRATION = /\.(add_url_rule|add_api_route|add_route)$/;
/**
 * A callee or value written as a plain dotted name (`pickle.loads`, `np.load`): resolved from its
 * text, without walking its attribute nodes one WebAssembly call at a time. Anything else (spaces,
 * comments, calls, subscripts, non-ASCII identifiers) takes the tree walk.
 */
const DOTTED_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
/** The node types the reader looks at, found in one walk of the tree. */
const READ_NODE_TYPES = [
  'import_statement',
  'import_from_statement',
  'assignment',
  'call',
  'decorator',
  ...GUARD_NODE_TYPES,
];

interface Binding {
  target: string;
  guard?: Guard;
}

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

class ModuleReader {
  private readonly bindings = new Map<string, Binding>();
  private readonly starModules: string[] = [];
  private readonly imports: ImportSite[] = [];
  private lines: string[] | undefined;
  private guards = new GuardIndex([], '');

  constructor(
    private readonly tree: Tree,
    private readonly source: string,
    private readonly options: ReadOptions,
  ) {}

  read(): ModuleSyntax {
    const root = this.tree.rootNode;
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
    this.guards = new GuardIndex(guardStatements, this.source);
    // Bindings first, calls second: a module-level import below a function still binds inside it.
    const calls: Node[] = [];
    let definesRoutes = false;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      switch (types[i]) {
        case 'import_statement':
          this.readImport(node);
          break;
        case 'import_from_statement':
          this.readFromImport(node);
          break;
        case 'assignment':
          this.readAssignment(node);
          break;
        case 'decorator':
          definesRoutes ||= ROUTE_DECORATOR.test(this.excerpt(node, 200));
          break;
        default:
          calls.push(node);
      }
    }
    const callSites: CallSite[] = [];
    for (const node of calls) {
      const site = this.readCall(node);
      if (site === 'route') definesRoutes = true;
      else if (site) callSites.push(site);
    }
    return {
      imports: this.imports,
      calls: callSites,
      definesRoutes,
      hasSyntaxErrors: root.hasError,
    };
  }

  private position(node: Node): { line: number; column: number } {
    return {
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
    };
  }

  private bind(name: string, target: string, guard?: Guard) {
    this.bindings.set(name, { target, guard });
  }

  private readImport(node: Node) {
    const guard = this.guards.at(node);
    for (const child of node.childrenForFieldName('name')) {
      if (!child) continue;
      const { line } = this.position(node);
      if (child.type === 'aliased_import') {
        const module = child.childForFieldName('name')?.text;
        const alias = child.childForFieldName('alias')?.text;
        if (!module || !alias) continue;
        this.bind(alias, module, guard);
        this.imports.push({ module, alias, line, guard });
      } else {
        const module = child.text;
        // `import a.b.c` binds `a`; attribute chains then resolve through it.
        this.bind(module.split('.')[0], module.split('.')[0], guard);
        this.imports.push({ module, line, guard });
      }
    }
  }

  private readFromImport(node: Node) {
    const moduleNode = node.childForFieldName('module_name');
    if (!moduleNode) return;
    const relative = moduleNode.type === 'relative_import';
    const module = relative
      ? moduleNode.text.replace(/^\.+/, '')
      : moduleNode.text;
    if (module === '__future__') return;
    const guard = this.guards.at(node);
    const { line } = this.position(node);
    // Relative imports bind to `.name` / `.module.name`: never a distribution, never a risky symbol.
    const prefix = relative ? `.${module}${module ? '.' : ''}` : `${module}.`;
    if (node.namedChildren.some(child => child?.type === 'wildcard_import')) {
      if (!relative) this.starModules.push(module);
      this.imports.push({
        module,
        name: '*',
        relative: relative || undefined,
        line,
        guard,
      });
      return;
    }
    for (const child of node.childrenForFieldName('name')) {
      if (!child) continue;
      const aliased = child.type === 'aliased_import';
      const name = aliased ? child.childForFieldName('name')?.text : child.text;
      const alias = aliased
        ? child.childForFieldName('alias')?.text
        : undefined;
      if (!name) continue;
      this.bind(alias ?? name, `${prefix}${name}`, guard);
      this.imports.push({
        module,
        name,
        alias,
        relative: relative || undefined,
        line,
        guard,
      });
    }
  }

  /** `pk = pickle`, `loader = torch.load`, `m = importlib.import_module('dill')` make aliases too. */
  private readAssignment(node: Node) {
    const left = node.childForFieldName('left');
    if (left?.type !== 'identifier') return;
    const right = node.childForFieldName('right');
    if (!right) return;
    const target = this.qualify(right);
    if (!target) return;
    const rootBinding = this.bindings.get(target.split('.')[0]);
    this.bind(left.text, target, this.guards.at(node) ?? rootBinding?.guard);
  }

  /**
   * The module a `__import__('m')` / `importlib.import_module('m')` call imports, when constant;
   * `calleeSymbol` is the call's resolved callee.
   */
  private importedByCall(
    call: Node,
    calleeSymbol: string | undefined,
    depth = 0,
  ): string | undefined {
    if (!calleeSymbol || !IMPORT_FUNCTIONS.has(calleeSymbol)) return undefined;
    const first = this.argumentNodes(call).find(
      arg => arg.type !== 'keyword_argument',
    );
    const value = first ? this.constantString(first, depth + 1) : undefined;
    return value?.value;
  }

  /** What a bare name refers to: an import binding, a known symbol of a star import, a builtin. */
  private resolveName(name: string): string | undefined {
    const bound = this.bindings.get(name);
    if (bound) return bound.target;
    const star = this.starModules
      .map(module => `${module}.${name}`)
      .find(symbol => this.options.knownSymbols.has(symbol));
    if (star) return star;
    return BUILTINS.has(name) ? name : undefined;
  }

  /** `qualify` for an expression written as a DOTTED_NAME, from its text. */
  private qualifyDotted(dotted: string): string | undefined {
    const segments = dotted.split('.');
    let base = this.resolveName(segments[0]);
    for (let i = 1; base !== undefined && i < segments.length; i++)
      base = base === 'builtins' ? segments[i] : `${base}.${segments[i]}`;
    return base;
  }

  /** Resolves a callee or argument expression to a fully qualified name through the import bindings. */
  private qualify(node: Node, depth = 0, text?: string): string | undefined {
    if (depth > MAX_EXPRESSION_DEPTH) return undefined;
    const written = text ?? this.excerpt(node, 200);
    if (DOTTED_NAME.test(written)) return this.qualifyDotted(written);
    switch (node.type) {
      case 'identifier':
        return this.resolveName(node.text);
      case 'attribute': {
        const object = node.childForFieldName('object');
        const attribute = node.childForFieldName('attribute');
        const base = object ? this.qualify(object, depth + 1) : undefined;
        if (!base || !attribute) return undefined;
        return base === 'builtins'
          ? attribute.text
          : `${base}.${attribute.text}`;
      }
      case 'parenthesized_expression': {
        const inner = node.namedChildren[0];
        return inner ? this.qualify(inner, depth + 1) : undefined;
      }
      case 'call': {
        const callee = node.childForFieldName('function');
        const calleeSymbol = callee
          ? this.qualify(callee, depth + 1)
          : undefined;
        const imported = this.importedByCall(node, calleeSymbol, depth + 1);
        // `__import__('a.b')` evaluates to the top-level package `a`; import_module to `a.b`.
        if (imported)
          return calleeSymbol === 'importlib.import_module'
            ? imported
            : imported.split('.')[0];
        // getattr(module, 'name') with a constant name is plain attribute access.
        if (calleeSymbol !== 'getattr') return undefined;
        const [object, name] = this.argumentNodes(node);
        const base = object ? this.qualify(object, depth + 1) : undefined;
        const attribute = name
          ? this.constantString(name, depth + 1)
          : undefined;
        return base && attribute ? `${base}.${attribute.value}` : undefined;
      }
      default:
        return undefined;
    }
  }

  private argumentNodes(call: Node): Node[] {
    const args = call.childForFieldName('arguments');
    if (!args || args.type !== 'argument_list') return [];
    return args.namedChildren.filter(
      (child): child is Node => !!child && child.type !== 'comment',
    );
  }

  /** Folds string literals, `+` concatenations and `''.join([...])` of literals to a constant. */
  private constantString(
    node: Node,
    depth = 0,
  ): { value: string; assembled: boolean } | undefined {
    if (depth > MAX_EXPRESSION_DEPTH) return undefined;
    switch (node.type) {
      case 'string': {
        if (node.namedChildren.some(child => child?.type === 'interpolation'))
          return undefined;
        const value = node.namedChildren
          .filter(
            child =>
              child?.type === 'string_content' ||
              child?.type === 'escape_sequence',
          )
          .map(child => child!.text)
          .join('');
        return { value, assembled: false };
      }
      case 'concatenated_string':
      case 'binary_operator': {
        if (
          node.type === 'binary_operator' &&
          node.childForFieldName('operator')?.text !== '+'
        )
          return undefined;
        const parts =
          node.type === 'binary_operator'
            ? [node.childForFieldName('left'), node.childForFieldName('right')]
            : node.namedChildren;
        let value = '';
        for (const part of parts) {
          const folded = part
            ? this.constantString(part, depth + 1)
            : undefined;
          if (!folded) return undefined;
          value += folded.value;
        }
        return { value, assembled: true };
      }
      case 'parenthesized_expression': {
        const inner = node.namedChildren[0];
        return inner ? this.constantString(inner, depth + 1) : undefined;
      }
      case 'call': {
        const callee = node.childForFieldName('function');
        if (
          callee?.type !== 'attribute' ||
          callee.childForFieldName('attribute')?.text !== 'join'
        )
          return undefined;
        const separator = callee.childForFieldName('object');
        const joined = separator
          ? this.constantString(separator, depth + 1)
          : undefined;
        const [list] = this.argumentNodes(node);
        if (!joined || !list || (list.type !== 'list' && list.type !== 'tuple'))
          return undefined;
        const items = list.namedChildren.map(item =>
          item ? this.constantString(item, depth + 1) : undefined,
        );
        if (items.some(item => !item)) return undefined;
        return {
          value: items.map(item => item!.value).join(joined.value),
          assembled: true,
        };
      }
      default:
        return undefined;
    }
  }

  private argumentValue(node: Node): ArgumentValue {
    const text = this.excerpt(node, 200);
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
        const folded = this.constantString(node);
        if (folded)
          return {
            text,
            value: folded.value,
            assembled: folded.assembled || undefined,
          };
        const symbol = ['identifier', 'attribute', 'call'].includes(node.type)
          ? this.qualify(node)
          : undefined;
        return { text, symbol };
      }
    }
  }

  /**
   * A node's source, at most `max` characters. Reading `node.text` of every nested call in
   * `f(f(f(...)))` copies the file once per level: quadratic on hostile input.
   */
  private excerpt(node: Node, max: number): string {
    const end = Math.min(node.endIndex, node.startIndex + max);
    const text = this.source.slice(node.startIndex, end);
    return end < node.endIndex ? `${text.slice(0, max - 1)}…` : text;
  }

  /** Whether a call passes `name=...`: only read from the tree when `name` is in the call's text. */
  private passesKeyword(call: Node, name: string): boolean {
    const at = this.source.indexOf(name, call.startIndex);
    if (at < 0 || at >= call.endIndex) return false;
    return this.argumentNodes(call).some(
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
  private readCall(node: Node): CallSite | 'route' | undefined {
    const callee = node.childForFieldName('function');
    const calleeText = callee ? this.excerpt(callee, 200) : '';
    if (ROUTE_REGISTRATION.test(calleeText)) return 'route';
    const symbol = callee ? this.qualify(callee, 0, calleeText) : undefined;
    const imported = this.importedByCall(node, symbol);
    if (
      !imported &&
      this.options.wantCall &&
      !this.options.wantCall(symbol, calleeText, name =>
        this.passesKeyword(node, name),
      )
    )
      return undefined;
    const argumentNodes = this.argumentNodes(node);
    const positional: ArgumentValue[] = [];
    const keywords: Record<string, ArgumentValue> = {};
    let keywordSplat = false;
    for (const arg of argumentNodes) {
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
    const root = symbol
      ? this.bindings.get(calleeText.split(/[.(]/)[0])
      : undefined;
    const guard = this.guards.at(node) ?? root?.guard;
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
      ...this.position(node),
      normalisedText: normaliseCall(this.excerpt(node, 400)),
      snippet: this.sourceLine(node.startPosition.row),
      guard,
    };
  }
}

/** Reads imports, aliases and calls from a parsed module. Pure: the tree is only read. */
export function readPythonModule(
  tree: Tree,
  source: string,
  options: ReadOptions,
): ModuleSyntax {
  return new ModuleReader(tree, source, options).read();
}
