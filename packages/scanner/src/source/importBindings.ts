// What a module's imports and aliases bind each name to, and how callee and argument expressions resolve through them.
import type { Node } from 'web-tree-sitter';
import type { Guard, GuardIndex } from './guards';
import type { ImportSite } from './pythonModule';
import {
  argumentNodes,
  constantString,
  excerpt,
  MAX_EXPRESSION_DEPTH,
  position,
} from './syntaxNodes';

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
/**
 * A callee or value written as a plain dotted name (`pickle.loads`, `np.load`): resolved from its
 * text, without walking its attribute nodes one WebAssembly call at a time. Anything else (spaces,
 * comments, calls, subscripts, non-ASCII identifiers) takes the tree walk.
 */
const DOTTED_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

interface Binding {
  target: string;
  guard?: Guard;
}

/**
 * The names one module binds (imports, star imports, aliasing assignments), read statement by
 * statement; each static import is also recorded in `imports`.
 */
export class ImportBindings {
  private readonly bindings = new Map<string, Binding>();
  private readonly starModules: string[] = [];

  constructor(
    private readonly source: string,
    /** Symbols a star import may provide (`ReadOptions.knownSymbols`). */
    private readonly knownSymbols: ReadonlySet<string>,
    private readonly guards: GuardIndex,
    private readonly imports: ImportSite[],
  ) {}

  /** The guard of the import (or alias) that bound `name`, if any. */
  guardOf(name: string): Guard | undefined {
    return this.bindings.get(name)?.guard;
  }

  private bind(name: string, target: string, guard?: Guard) {
    this.bindings.set(name, { target, guard });
  }

  readImport(node: Node) {
    const guard = this.guards.at(node);
    for (const child of node.childrenForFieldName('name')) {
      if (!child) continue;
      const { line } = position(node);
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

  readFromImport(node: Node) {
    const moduleNode = node.childForFieldName('module_name');
    if (!moduleNode) return;
    const relative = moduleNode.type === 'relative_import';
    const module = relative
      ? moduleNode.text.replace(/^\.+/, '')
      : moduleNode.text;
    if (module === '__future__') return;
    const guard = this.guards.at(node);
    const { line } = position(node);
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
  readAssignment(node: Node) {
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
  importedByCall(
    call: Node,
    calleeSymbol: string | undefined,
    depth = 0,
  ): string | undefined {
    if (!calleeSymbol || !IMPORT_FUNCTIONS.has(calleeSymbol)) return undefined;
    const first = argumentNodes(call).find(
      arg => arg.type !== 'keyword_argument',
    );
    const value = first ? constantString(first, depth + 1) : undefined;
    return value?.value;
  }

  /** What a bare name refers to: an import binding, a known symbol of a star import, a builtin. */
  private resolveName(name: string): string | undefined {
    const bound = this.bindings.get(name);
    if (bound) return bound.target;
    const star = this.starModules
      .map(module => `${module}.${name}`)
      .find(symbol => this.knownSymbols.has(symbol));
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
  qualify(node: Node, depth = 0, text?: string): string | undefined {
    if (depth > MAX_EXPRESSION_DEPTH) return undefined;
    const written = text ?? excerpt(this.source, node, 200);
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
        const [object, name] = argumentNodes(node);
        const base = object ? this.qualify(object, depth + 1) : undefined;
        const attribute = name ? constantString(name, depth + 1) : undefined;
        return base && attribute ? `${base}.${attribute.value}` : undefined;
      }
      default:
        return undefined;
    }
  }
}
