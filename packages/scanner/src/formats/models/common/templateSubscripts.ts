import type { Severity } from '../../../model/severity';

/**
 * Jinja resolves `obj["name"]` to `getattr(obj, "name")` when there is no such item, so a template
 * can reach `__init__`/`__globals__` without ever spelling a dunder: `cycler[u+u+"init"+u+u]` with
 * `{% set u = "_" %}`, or `joiner["__in"~"it__"]`. This looks at what subscripts (and `attr()`
 * arguments) would evaluate to, from the string literals and the string variables the template
 * sets, never rendering anything. Ordinary chat templates index messages with plain literals
 * (`message['role']`) or numbers (`messages[loop.index0 + 1]`), which this leaves alone.
 */
export interface SubscriptHit {
  id: 'computed-subscript' | 'sensitive-subscript' | 'unanalysed-subscripts';
  severity: Severity;
  why: string;
  /** Offset of the subscript in the template. */
  index: number;
  length: number;
}

/** Attribute names on the way from a template object to Python's builtins or a shell. */
const SENSITIVE_NAMES = new Set([
  'init',
  'globals',
  'builtins',
  'subclasses',
  'mro',
  'class',
  'base',
  'bases',
  'import',
  'popen',
  'system',
  'getattr',
  'eval',
  'exec',
  'os',
  'subprocess',
  'getitem',
]);

/** Objects every Jinja (or Flask/HF) template can reach, whose attributes lead to Python globals. */
const TEMPLATE_OBJECTS =
  /\b(?:cycler|joiner|namespace|lipsum|self|request|config|range|dict|url_for|get_flashed_messages|raise_exception|strftime_now|loop)\b/g;

const DUNDER = /__[A-Za-z]\w*__/;
const MAX_EXPRESSION = 1000;
/** Characters examined while matching brackets, per template: keeps hostile inputs linear. */
const MAX_SCAN_STEPS = 5_000_000;
const MAX_CHAIN_LINKS = 64;
/** Words after which `[` opens a list literal, not a subscript. */
const KEYWORDS = new Set([
  'in',
  'and',
  'or',
  'not',
  'is',
  'if',
  'else',
  'elif',
  'return',
  'set',
  'for',
  'with',
]);

export function findSubscriptInjection(template: string): SubscriptHit[] {
  const variables = stringVariables(template);
  const hits: SubscriptHit[] = [];
  const budget: Budget = { steps: MAX_SCAN_STEPS };
  for (const { start, end } of subscripts(template, budget)) {
    const hit = judgeComputed(template.slice(start + 1, end - 1), variables);
    if (hit) hits.push({ ...hit, index: start, length: end - start });
  }
  for (const { start, end } of attrArguments(template, budget)) {
    const hit = judgeComputed(template.slice(start + 1, end - 1), variables);
    if (hit) hits.push({ ...hit, index: start, length: end - start });
  }
  for (const { start, end } of chainSubscriptsOnTemplateObjects(
    template,
    budget,
  )) {
    const pieces = tokens(template.slice(start + 1, end - 1));
    if (pieces.length !== 1 || pieces[0].kind !== 'string') continue;
    if (SENSITIVE_NAMES.has(pieces[0].text.replace(/_/g, '').toLowerCase())) {
      hits.push({
        id: 'sensitive-subscript',
        severity: 'high',
        why: `looks up "${pieces[0].text.slice(
          0,
          40,
        )}" on a template object, a step towards Python globals`,
        index: start,
        length: end - start,
      });
    }
  }
  if (budget.steps <= 0) {
    hits.push({
      id: 'unanalysed-subscripts',
      // As for any scan limit: what was not analysed cannot pass.
      severity: 'high',
      why: 'has too many nested subscripts to analyse completely',
      index: 0,
      length: 0,
    });
  }
  return hits.sort((a, b) => a.index - b.index);
}

interface Budget {
  steps: number;
}

function judgeComputed(
  expression: string,
  variables: ReadonlyMap<string, string>,
): Omit<SubscriptHit, 'index' | 'length'> | undefined {
  const pieces = tokens(expression);
  if (!pieces.some(p => p.kind === 'operator')) return undefined;
  let joined = '';
  let known = false;
  for (const piece of pieces) {
    if (piece.kind === 'string') {
      joined += piece.text;
      known = true;
    } else if (piece.kind === 'name' && variables.has(piece.text)) {
      joined += variables.get(piece.text);
      known = true;
    }
  }
  if (!known) return undefined;
  if (DUNDER.test(joined))
    return {
      id: 'computed-subscript',
      severity: 'critical',
      why: `builds the name "${joined.slice(0, 40)}" at render time`,
    };
  if (joined.includes('_') || SENSITIVE_NAMES.has(joined.toLowerCase()))
    return {
      id: 'computed-subscript',
      severity: 'high',
      why: `builds an attribute name ("${joined.slice(
        0,
        40,
      )}") by concatenation`,
    };
  return undefined;
}

interface Token {
  kind: 'string' | 'name' | 'operator' | 'other';
  text: string;
}

/** A rough Jinja expression lexer: string literals (unescaped), names, `+`/`~`, anything else. */
function tokens(expression: string): Token[] {
  const out: Token[] = [];
  const lexer =
    /\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([A-Za-z_][\w.]*)|([+~])|(.))/gy;
  for (
    let m = lexer.exec(expression);
    m && m[0] !== '';
    m = lexer.exec(expression)
  ) {
    if (m[1] !== undefined || m[2] !== undefined)
      out.push({ kind: 'string', text: unescape(m[1] ?? m[2]) });
    else if (m[3] !== undefined) out.push({ kind: 'name', text: m[3] });
    else if (m[4] !== undefined) out.push({ kind: 'operator', text: m[4] });
    else if (m[5] !== undefined && m[5].trim() !== '')
      out.push({ kind: 'other', text: m[5] });
  }
  return out;
}

function unescape(literal: string): string {
  return literal.replace(/\\(x5f|u005f|137)/gi, '_').replace(/\\(.)/g, '$1');
}

/** `{% set u = "_" %}`-style bindings of a name to a string literal. */
function stringVariables(template: string): Map<string, string> {
  const variables = new Map<string, string>();
  const binding =
    /\bset\s+([A-Za-z_]\w*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*-?%\}/g;
  for (const m of template.matchAll(binding))
    variables.set(m[1], unescape(m[2] ?? m[3]));
  return variables;
}

/** End (exclusive) of the bracketed group opening at `start`, skipping strings; bounded. */
function closingOf(
  template: string,
  start: number,
  budget: Budget,
): number | undefined {
  const open = template[start];
  const close = open === '[' ? ']' : ')';
  let depth = 0;
  let quote: string | undefined;
  const limit = Math.min(template.length, start + MAX_EXPRESSION);
  let i = start;
  let end: number | undefined;
  for (; i < limit && end === undefined; i++) {
    const c = template[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === open) depth++;
    else if (c === close && --depth === 0) end = i + 1;
  }
  budget.steps -= i - start;
  return end;
}

interface Span {
  start: number;
  end: number;
}

/** Every `[...]` that indexes something (after a name, `]` or `)`), not a list literal. */
function* subscripts(template: string, budget: Budget): Generator<Span> {
  for (
    let i = template.indexOf('[');
    i >= 0;
    i = template.indexOf('[', i + 1)
  ) {
    budget.steps -= 40;
    if (budget.steps <= 0) return;
    const before = template.slice(Math.max(0, i - 40), i).trimEnd();
    if (!/[\w)\]]$/.test(before)) continue;
    const word = /[A-Za-z_]\w*$/.exec(before);
    if (word && KEYWORDS.has(word[0])) continue;
    const end = closingOf(template, i, budget);
    if (end !== undefined) yield { start: i, end };
  }
}

/** The argument list of every `attr(...)` filter call. */
function* attrArguments(template: string, budget: Budget): Generator<Span> {
  for (const m of template.matchAll(/\battr\s*\(/g)) {
    if (budget.steps <= 0) return;
    const start = m.index + m[0].length - 1;
    const end = closingOf(template, start, budget);
    if (end !== undefined) yield { start, end };
  }
}

/** Subscripts in `.name` / `(...)` / `[...]` chains that start at a template object. */
function* chainSubscriptsOnTemplateObjects(
  template: string,
  budget: Budget,
): Generator<Span> {
  for (const m of template.matchAll(TEMPLATE_OBJECTS)) {
    if (budget.steps <= 0) return;
    // `x.config[...]` is an attribute of something else, not the template global.
    if (/\.\s*$/.test(template.slice(Math.max(0, m.index - 8), m.index)))
      continue;
    let pos = m.index + m[0].length;
    for (let link = 0; link < MAX_CHAIN_LINKS; link++) {
      const next = /\s*(?:\.\s*[A-Za-z_]\w*|([[(]))/y;
      next.lastIndex = pos;
      const step = next.exec(template);
      if (!step) break;
      if (!step[1]) {
        pos = next.lastIndex;
        continue;
      }
      const start = next.lastIndex - 1;
      const end = closingOf(template, start, budget);
      if (end === undefined) break;
      if (step[1] === '[') yield { start, end };
      pos = end;
    }
  }
}
