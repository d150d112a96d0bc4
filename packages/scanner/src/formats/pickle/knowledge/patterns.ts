/**
 * Symbol patterns shared by the allowlist, the denylist and policy `trustedGlobals`:
 * - `module.name`      exactly that symbol;
 * - `module.pre*fix`   plain names of `module` matching the wildcard (`os.exec*`, `torch.*Storage`);
 * - `module.*`         any plain (non-dotted) name of `module` itself;
 * - `module.**`        anything in `module` or its submodules, dotted names included (denylist use);
 * - `module.**.attr`   attribute `attr` of anything in `module` or its submodules
 *                      (`transformers.**.from_pretrained`; denylist use, for methods of many classes);
 * - a `:Class` suffix  only CapWords names (classes), never module-level functions.
 */
export interface SymbolPattern {
  readonly pattern: string;
}

export function matchesPattern(
  pattern: string,
  module: string,
  name: string,
): boolean {
  let body = pattern;
  const classOnly = body.endsWith(':Class');
  if (classOnly) body = body.slice(0, -':Class'.length);
  if (classOnly && !/^_?[A-Z][A-Za-z0-9_]*$/.test(name)) return false;
  const anyOwner = body.indexOf('.**.');
  if (anyOwner > 0) {
    const root = body.slice(0, anyOwner);
    const attribute = body.slice(anyOwner + 4);
    return (
      name === attribute && (module === root || module.startsWith(`${root}.`))
    );
  }
  if (body.endsWith('.**')) {
    const root = body.slice(0, -3);
    return module === root || module.startsWith(`${root}.`);
  }
  if (body.endsWith('.*')) {
    return module === body.slice(0, -2) && !name.includes('.');
  }
  const dot = body.lastIndexOf('.');
  const patternModule = body.slice(0, dot);
  const patternName = body.slice(dot + 1);
  if (patternModule !== module) return false;
  if (patternName.includes('*')) {
    const regex = new RegExp(
      `^${patternName.split('*').map(escapeRegExp).join('[A-Za-z0-9_]*')}$`,
    );
    return regex.test(name);
  }
  return patternName === name;
}

/** Splits a full symbol (`os.path.join`) at its last dot; for patterns over plain symbols. */
export function splitSymbol(symbol: string): [string, string] {
  const dot = symbol.lastIndexOf('.');
  return dot < 0 ? ['', symbol] : [symbol.slice(0, dot), symbol.slice(dot + 1)];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
