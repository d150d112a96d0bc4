import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import { readAll } from '../../../io/ByteSource';
import { signalAt } from '../common/signals';
import { reportChatTemplate } from '../common/chatTemplate';
import {
  looksLikeChatTemplateText,
  reportTemplatesInConfig,
} from '../common/templatesInConfig';
import { parseConfigText, targetsInText } from './configDocument';
import { reportConfigTargets } from './configTargets';
import { gradeCallable } from './callableKnowledge';
import { checkLargeConfig } from './largeConfig';

/**
 * YAML and JSON configs recognised by content, wherever they sit and whatever they are called:
 * NeMo `model_config.yaml` inside a `.nemo` tar, Hydra configs beside the weights, tokenizer or
 * generation configs holding a chat template; plus free-standing Jinja templates. Checks
 * `_target_` callables (the NeMo CVE-2025-23304 class), PyYAML Python tags, and chat templates.
 * Runs last (lowest priority): any format-specific reader claims its files first.
 */
const CONFIG_EXTENSIONS = /\.(ya?ml|json|jinja2?|j2|template|tmpl)$/i;
const TEMPLATE_EXTENSIONS = /\.(jinja2?|j2|template|tmpl)$/i;
/** Cheap test before parsing: only text that can hold what this reader checks is parsed. */
const WORTH_PARSING =
  /_target_|_call_|_callable_|_func_|\btarget\s*["']?\s*:|!!python\/|!<tag:yaml\.org,2002:python|template|\{%|\{\{/;
/**
 * Weight and archive extensions: a text body there is not a config but a file no model reader
 * recognises, which the engine reports as SCAN-UNSUPPORTED; claiming it would hide that.
 */
const WEIGHT_EXTENSIONS =
  /\.(pt|pth|bin|ckpt|pkl|pickle|joblib|dill|h5|hdf5|keras|onnx|pb|safetensors|gguf|ggml|npy|npz|nemo|mar|tflite|pdparams|msgpack|mlmodel|llamafile|sav|tar|zip|7z|gz|bz2|xz|zst)$/i;
/** Prose, source and other text formats other analyzers own: never configs for Hydra or Jinja. */
const OTHER_TEXT_EXTENSIONS =
  /\.(md|markdown|rst|txt|html?|py|pyi|ipynb|js|mjs|cjs|ts|tsx|sh|c|cc|cpp|h|hpp|java|go|rs|toml|cfg|ini|lock|csv|tsv|xml|svg|css)$/i;
const YAML_FIRST_LINE = /^(---|%YAML|[A-Za-z_"'][\w."' -]*\s*:(\s|$)|-\s)/;

export function looksLikeConfigText(head: Uint8Array, name: string): boolean {
  if (
    head.length === 0 ||
    head.includes(0) ||
    WEIGHT_EXTENSIONS.test(name) ||
    OTHER_TEXT_EXTENSIONS.test(name)
  )
    return false;
  const text = Buffer.from(head)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  // (the last bytes may cut a multi-byte character in half)
  if (text.slice(0, -3).includes('\uFFFD') && !CONFIG_EXTENSIONS.test(name))
    return false;
  if (CONFIG_EXTENSIONS.test(name)) return true;
  const first = text
    .split('\n')
    .map(line => line.trim())
    .find(line => line !== '' && !line.startsWith('#'));
  if (first === undefined) return false;
  if (first.startsWith('{') || first.startsWith('[')) return true;
  if (YAML_FIRST_LINE.test(first)) return true;
  return looksLikeChatTemplateText(text);
}

export const configReader: FormatReader = {
  id: 'config',
  priority: 5,
  sniff: (head, name) => looksLikeConfigText(head, name),
  async read(input: ReaderInput, ctx: ReaderContext) {
    const { source } = input;
    if (source.size > ctx.limits.maxTextBytes) {
      await checkLargeConfig(input, ctx);
      return;
    }
    const text = Buffer.from(await readAll(source)).toString('utf8');
    if (!WORTH_PARSING.test(text)) return;
    ctx.checkDeadline();

    const parsed = parseConfigText(text);
    const isTemplateFile =
      TEMPLATE_EXTENSIONS.test(input.name) ||
      (parsed.documents.every(doc => typeof doc !== 'object' || doc === null) &&
        looksLikeChatTemplateText(text));
    if (isTemplateFile) {
      ctx.setFormat('chat-template');
      reportChatTemplate(input, ctx, input.name, text);
      return;
    }
    ctx.setFormat(parsed.kind === 'json' ? 'json-config' : 'yaml-config');

    let reported = 0;
    parsed.documents.forEach((document, i) => {
      const origin =
        parsed.documents.length > 1 ? `${input.name}#${i}` : input.name;
      reported += reportConfigTargets(input, ctx, document, origin);
      reportTemplatesInConfig(input, ctx, document);
    });
    for (const { tag, symbol } of parsed.pythonTags) {
      const grade = gradeCallable(symbol, ctx.options.trustedGlobals ?? []);
      reported++;
      ctx.emit(
        signalAt(
          input,
          'MODEL-CONFIG-CALLABLE',
          `YAML tag ${tag} makes PyYAML's unsafe loaders import and call ${symbol}, which ${grade.why}`,
          `yaml-tag:${symbol}`,
          {
            symbol,
            tag,
            mechanism: 'pyyaml-python-tag',
            verdict: grade.verdict,
          },
          { severity: grade.verdict === 'trusted' ? 'high' : 'critical' },
        ),
      );
    }
    // A _target_ in the text that the parsed documents did not yield (a parse error, a YAML 1.1
    // vs 1.2 differential, a duplicate key): graded from the text so it is never silently lost.
    if (reported === 0 || parsed.error) {
      const parsedSymbols = new Set(
        parsed.documents.flatMap(document => collectTargetSymbols(document)),
      );
      for (const symbol of targetsInText(text)) {
        if (parsedSymbols.has(symbol)) continue;
        const grade = gradeCallable(symbol, ctx.options.trustedGlobals ?? []);
        if (grade.verdict === 'trusted' && !parsed.error) continue;
        ctx.emit(
          signalAt(
            input,
            'MODEL-CONFIG-CALLABLE',
            `${
              input.name
            } names _target_ ${symbol} outside what the YAML parser returned${
              parsed.error ? ` (${parsed.error})` : ''
            }; another loader may still instantiate it, which ${grade.why}`,
            `text-target:${symbol}`,
            { symbol, mechanism: 'hydra-instantiate', verdict: grade.verdict },
            { severity: grade.severity ?? 'medium' },
          ),
        );
      }
    }
  },
};

function collectTargetSymbols(root: unknown): string[] {
  const symbols: string[] = [];
  const stack = [root];
  for (let visited = 0; stack.length > 0 && visited < 200_000; visited++) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    for (const [key, child] of Object.entries(value)) {
      if (
        typeof child === 'string' &&
        /^_(target|call|callable|func)_$/.test(key)
      )
        symbols.push(child.trim());
      else if (typeof child === 'object') stack.push(child);
    }
  }
  return symbols;
}
