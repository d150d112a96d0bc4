/**
 * A parser for the small Python literals in `.npy` headers (`{'descr': '<f4', 'fortran_order':
 * False, 'shape': (3, 4), }`): dicts, tuples, lists, strings, integers, True/False/None. It never
 * evaluates anything; anything else is a parse error.
 */
export type PyLiteral =
  | string
  | number
  | bigint
  | boolean
  | null
  | PyLiteral[]
  | { [key: string]: PyLiteral };

export class LiteralSyntaxError extends Error {}

const MAX_NESTING = 32;
const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
};

class LiteralParser {
  position = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.text[this.position]))
      this.position++;
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.text[this.position] !== char)
      throw new LiteralSyntaxError(`expected '${char}' at ${this.position}`);
    this.position++;
  }

  value(depth: number): PyLiteral {
    if (depth > MAX_NESTING)
      throw new LiteralSyntaxError('literal nested too deeply');
    this.skipSpace();
    const char = this.text[this.position];
    if (char === '{') return this.dict(depth);
    if (char === '(') return this.sequence(')', depth);
    if (char === '[') return this.sequence(']', depth);
    if (char === "'" || char === '"') return this.string();
    const word = /^(True|False|None|[+-]?\d+L?)/.exec(
      this.text.slice(this.position, this.position + 40),
    );
    if (!word)
      throw new LiteralSyntaxError(`unexpected character at ${this.position}`);
    this.position += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    // Integers past 2^53 stay exact: a hostile shape must not round down to something plausible.
    const digits = word[0].replace(/L$/, '');
    const value = Number(digits);
    return Number.isSafeInteger(value) ? value : BigInt(digits);
  }

  private dict(depth: number): { [key: string]: PyLiteral } {
    this.expect('{');
    const result: { [key: string]: PyLiteral } = Object.create(null);
    for (;;) {
      this.skipSpace();
      if (this.text[this.position] === '}') {
        this.position++;
        return result;
      }
      const key = this.value(depth + 1);
      if (typeof key !== 'string')
        throw new LiteralSyntaxError('dict keys must be strings');
      this.expect(':');
      result[key] = this.value(depth + 1);
      this.skipSpace();
      if (this.text[this.position] === ',') this.position++;
      else if (this.text[this.position] !== '}')
        throw new LiteralSyntaxError(`expected ',' or '}' at ${this.position}`);
    }
  }

  private sequence(close: string, depth: number): PyLiteral[] {
    this.position++;
    const items: PyLiteral[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.position] === close) {
        this.position++;
        return items;
      }
      items.push(this.value(depth + 1));
      this.skipSpace();
      if (this.text[this.position] === ',') this.position++;
      else if (this.text[this.position] !== close)
        throw new LiteralSyntaxError(
          `expected ',' or '${close}' at ${this.position}`,
        );
    }
  }

  private string(): string {
    const quote = this.text[this.position++];
    let out = '';
    while (!this.atEnd()) {
      const char = this.text[this.position++];
      if (char === quote) return out;
      if (char === '\\' && !this.atEnd()) {
        const escaped = this.text[this.position++];
        out += ESCAPES[escaped] ?? escaped;
      } else out += char;
    }
    throw new LiteralSyntaxError('unterminated string');
  }
}

export function parsePyLiteral(text: string): PyLiteral {
  const parser = new LiteralParser(text);
  const value = parser.value(0);
  parser.skipSpace();
  if (!parser.atEnd())
    throw new LiteralSyntaxError(`unexpected text at ${parser.position}`);
  return value;
}
