let yamlModule: typeof import('yaml') | undefined;
/** `yaml` is loaded on first use, so a scan without configs does not pay for it at start-up. */
function yamlLib(): typeof import('yaml') {
  return (yamlModule ??= require('yaml'));
}
import { tryParseJson } from '../common/boundedJson';

/**
 * Parses a YAML or JSON config without evaluating anything: the `yaml` package (core schema,
 * errors collected, aliases capped against alias bombs), JSON first when the text is JSON.
 * Also lists the Python tags PyYAML's unsafe loaders construct (`!!python/object/apply:os.system`):
 * the `yaml` package keeps them as plain values, but `yaml.load(..., Loader=UnsafeLoader)` calls them.
 */
export interface ParsedConfig {
  kind: 'json' | 'yaml';
  documents: unknown[];
  /** First parse error, when the text is neither valid JSON nor valid YAML. */
  error?: string;
  /** `python/object/apply:os.system`-style tags, with their target. */
  pythonTags: { tag: string; symbol: string }[];
}

const MAX_DOCUMENTS = 20;
const MAX_ALIASES = 100;

export function parseConfigText(text: string): ParsedConfig {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const value = tryParseJson(trimmed);
    if (value !== undefined)
      return { kind: 'json', documents: [value], pythonTags: [] };
  }
  const pythonTags: ParsedConfig['pythonTags'] = [];
  const documents: unknown[] = [];
  let error: string | undefined;
  let parsed;
  try {
    parsed = yamlLib().parseAllDocuments(trimmed, {
      logLevel: 'error',
      prettyErrors: false,
      uniqueKeys: false,
      schema: 'core',
    });
  } catch (caught) {
    return {
      kind: 'yaml',
      documents,
      pythonTags,
      error: (caught as Error).message,
    };
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  for (const document of list.slice(0, MAX_DOCUMENTS)) {
    yamlLib().visit(document, (_key, node) => {
      if (!yamlLib().isNode(node) || !node.tag || pythonTags.length >= 50)
        return;
      const match =
        /python\/(?:object\/apply|object\/new|object|name|module):(.*)$/.exec(
          node.tag,
        );
      if (match) pythonTags.push({ tag: node.tag, symbol: match[1] });
    });
    if (document.errors.length > 0) {
      error ??= document.errors[0].message.split('\n')[0];
      continue;
    }
    try {
      documents.push(document.toJS({ maxAliasCount: MAX_ALIASES }));
    } catch (caught) {
      error ??= (caught as Error).message.split('\n')[0];
    }
  }
  return { kind: 'yaml', documents, pythonTags, error };
}

/**
 * `_target_` values read straight from the text, so a parser differential (PyYAML 1.1 vs
 * YAML 1.2, duplicate keys, a document the parser rejects) cannot hide one.
 */
export function targetsInText(text: string): string[] {
  const found = new Set<string>();
  const pattern =
    /["']?(_target_|_call_|_callable_|_func_)["']?\s*:\s*["']?([A-Za-z_][\w.]*)/g;
  for (const match of text.matchAll(pattern)) {
    if (found.size >= 200) break;
    found.add(match[2]);
  }
  return [...found];
}
