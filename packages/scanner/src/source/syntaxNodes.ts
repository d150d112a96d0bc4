// What a tree-sitter node says on its own, before any import binding: position, source excerpt, call arguments, constant strings.
import type { Node } from 'web-tree-sitter';

/**
 * Deepest expression followed when resolving names or folding strings. Real code nests a few
 * levels; hostile files nest thousands to overflow the stack of recursive readers.
 */
export const MAX_EXPRESSION_DEPTH = 64;

export function position(node: Node): { line: number; column: number } {
  return {
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
  };
}

/**
 * A node's source, at most `max` characters. Reading `node.text` of every nested call in
 * `f(f(f(...)))` copies the file once per level: quadratic on hostile input.
 */
export function excerpt(source: string, node: Node, max: number): string {
  const end = Math.min(node.endIndex, node.startIndex + max);
  const text = source.slice(node.startIndex, end);
  return end < node.endIndex ? `${text.slice(0, max - 1)}…` : text;
}

export function argumentNodes(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return [];
  return args.namedChildren.filter(
    (child): child is Node => !!child && child.type !== 'comment',
  );
}

/** Folds string literals, `+` concatenations and `''.join([...])` of literals to a constant. */
export function constantString(
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
        const folded = part ? constantString(part, depth + 1) : undefined;
        if (!folded) return undefined;
        value += folded.value;
      }
      return { value, assembled: true };
    }
    case 'parenthesized_expression': {
      const inner = node.namedChildren[0];
      return inner ? constantString(inner, depth + 1) : undefined;
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
        ? constantString(separator, depth + 1)
        : undefined;
      const [list] = argumentNodes(node);
      if (!joined || !list || (list.type !== 'list' && list.type !== 'tuple'))
        return undefined;
      const items = list.namedChildren.map(item =>
        item ? constantString(item, depth + 1) : undefined,
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
