import { isContainer, isRef, type PyValue } from '../values';

/**
 * Python source that reaches for the interpreter: what an attacker hands an evaluator hidden in a
 * data library (`pandas.core.computation.expr.Expr("__import__('os').system('id')")`). Plain data
 * strings (labels, vocabularies, column names) never call these.
 */
const INTERPRETER_REACH: readonly RegExp[] = [
  /__import__\s*\(/,
  /\b(?:exec|eval|compile|execfile)\s*\(/,
  /\bos\s*\.\s*(?:system|popen|exec\w*|spawn\w*|remove|unlink|fork)\s*\(/,
  /\bsubprocess\s*\.\s*\w+/,
  /\b(?:getattr|globals|locals|vars)\s*\(\s*__builtins__/,
  /__(?:builtins|globals|subclasses|class|mro|code)__/,
  /\bimportlib\s*\.\s*import_module\s*\(/,
  /\bpty\s*\.\s*spawn\s*\(/,
  /\bsocket\s*\.\s*socket\s*\(/,
];

const MAX_DEPTH = 4;
const MAX_STRINGS = 256;

/** Does `text` read as Python source that reaches the interpreter? */
export function isInterpreterSource(text: string): boolean {
  return INTERPRETER_REACH.some(pattern => pattern.test(text));
}

/**
 * Strings among call arguments that are interpreter-reaching source; with `anyString` (the callee
 * is itself an evaluator) every non-empty string argument counts, since the evaluator runs it.
 */
export function sourceStringsIn(
  values: readonly PyValue[],
  options: { anyString: boolean },
): string[] {
  const found: string[] = [];
  let visited = 0;
  const visit = (value: PyValue, depth: number) => {
    if (visited++ > MAX_STRINGS || depth > MAX_DEPTH) return;
    if (typeof value === 'string') {
      if (
        (options.anyString && value.trim().length > 0) ||
        isInterpreterSource(value)
      )
        found.push(value);
      return;
    }
    if (!isRef(value)) return;
    if (isContainer(value)) {
      for (const item of value.items) visit(item, depth + 1);
    } else if (value.kind === 'opaque' && value.preview) {
      if (isInterpreterSource(value.preview)) found.push(value.preview);
    } else if (value.kind === 'call') {
      visit(value.args, depth + 1);
    }
  };
  for (const value of values) visit(value, 0);
  return found;
}
