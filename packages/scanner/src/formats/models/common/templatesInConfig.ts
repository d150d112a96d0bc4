import type { ReaderContext, ReaderInput } from '../../../engine/FormatReader';
import { isPlainObject } from './boundedJson';
import { reportChatTemplate } from './chatTemplate';

/**
 * Chat templates wherever a config keeps them: a `chat_template` key at any depth (a string or a
 * list of `{name, template}`), any key ending in `template`, and any other string that is Jinja
 * (a `{%` statement or a `{{` expression). Every one goes through the template-injection analysis,
 * which flags only Python-internals access, so ordinary strings with braces cost nothing.
 */
const JINJA = /\{%-?\s*\w|\{\{-?\s*[\w(]/;
const TEMPLATE_KEY = /(^|_)(chat_)?template$/i;
const MAX_NODES = 200_000;
const MAX_TEMPLATES = 100;

export function templatesInConfig(
  root: unknown,
): { path: string; template: string }[] {
  const found: { path: string; template: string }[] = [];
  const stack: { value: unknown; path: string; key: string }[] = [
    { value: root, path: '', key: '' },
  ];
  for (let visited = 0; stack.length > 0 && visited < MAX_NODES; visited++) {
    const { value, path, key } = stack.pop()!;
    if (found.length >= MAX_TEMPLATES) break;
    if (typeof value === 'string') {
      if (TEMPLATE_KEY.test(key) || looksLikeJinja(value))
        found.push({ path: path || 'template', template: value });
      continue;
    }
    let children: [string, unknown][] = [];
    if (Array.isArray(value))
      children = value.map((item, i) => [String(i), item]);
    else if (isPlainObject(value)) children = Object.entries(value);
    for (const [childKey, child] of children) {
      // `[{name, template}]` lists keep the key of the list for naming.
      const named =
        Array.isArray(value) &&
        isPlainObject(child) &&
        typeof child.name === 'string'
          ? `${path}.${child.name}`
          : `${path ? `${path}.` : ''}${childKey}`;
      stack.push({
        value: child,
        path: named,
        key: Array.isArray(value) ? key : childKey,
      });
    }
  }
  return found;
}

/** A `{%` statement or a `{{` expression: text a Jinja renderer would evaluate. */
export function looksLikeJinja(text: string): boolean {
  return JINJA.test(text);
}

export function reportTemplatesInConfig(
  input: ReaderInput,
  ctx: ReaderContext,
  root: unknown,
): void {
  for (const { path, template } of templatesInConfig(root))
    reportChatTemplate(input, ctx, path, template);
}

/** Whether free text reads as a Jinja chat template rather than program source. */
export function looksLikeChatTemplateText(text: string): boolean {
  if (!/\{%-?\s*(for|if|set|macro)\b/.test(text)) return false;
  if (/^\s*(def|class|import|from)\s+\w/m.test(text)) return false;
  return /\b(messages|message|add_generation_prompt|bos_token|eos_token|role)\b/.test(
    text,
  );
}
