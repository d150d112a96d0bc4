let yamlModule: typeof import('yaml') | undefined;
/** `yaml` is loaded on first use, so a scan without model cards does not pay for it at start-up. */
function yamlLib(): typeof import('yaml') {
  return (yamlModule ??= require('yaml'));
}
import { isPlainObject } from '../common/boundedJson';

/** Largest front matter block parsed; real model cards keep metadata to a few KiB. */
export const MAX_FRONT_MATTER_BYTES = 256 * 1024;

export interface ModelCardMetadata {
  license?: string;
  licenseName?: string;
  licenseLink?: string;
  baseModels: string[];
  baseModelRelation?: string;
  datasets: string[];
  pipelineTag?: string;
  libraryName?: string;
  modelName?: string;
  languages: string[];
}

export type FrontMatterResult =
  | { kind: 'none' }
  | { kind: 'error'; message: string; line?: number }
  | { kind: 'ok'; metadata: ModelCardMetadata };

/** The text between a leading `---` line and the next `---` (or `...`) line. */
export function extractFrontMatter(
  text: string,
): { yaml: string; startLine: number } | undefined {
  const body = text.replace(/^\uFEFF/, '');
  const open = /^---[ \t]*\r?\n/.exec(body);
  if (!open) return undefined;
  const close = /^(?:---|\.\.\.)[ \t]*$/m;
  const rest = body.slice(open[0].length);
  const match = close.exec(rest);
  if (!match) return undefined;
  return { yaml: rest.slice(0, match.index), startLine: 2 };
}

/**
 * Parses Hugging Face model card metadata with the `yaml` package: core schema, no custom tags
 * evaluated, aliases capped (alias bombs), errors returned rather than thrown.
 */
export function parseModelCard(text: string): FrontMatterResult {
  const block = extractFrontMatter(text);
  if (!block) return { kind: 'none' };
  if (block.yaml.length > MAX_FRONT_MATTER_BYTES)
    return {
      kind: 'error',
      message: `front matter is larger than ${MAX_FRONT_MATTER_BYTES} bytes`,
    };
  const document = yamlLib().parseDocument(block.yaml, {
    logLevel: 'error',
    prettyErrors: false,
    uniqueKeys: true,
    schema: 'core',
  });
  if (document.errors.length > 0) {
    const [error] = document.errors;
    return {
      kind: 'error',
      message: error.message.split('\n')[0],
      line: error.linePos
        ? error.linePos[0].line + block.startLine - 1
        : undefined,
    };
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 50 });
  } catch (error) {
    return { kind: 'error', message: (error as Error).message.split('\n')[0] };
  }
  if (data === null || data === undefined)
    return {
      kind: 'ok',
      metadata: { baseModels: [], datasets: [], languages: [] },
    };
  if (!isPlainObject(data))
    return { kind: 'error', message: 'front matter is not a mapping' };
  return { kind: 'ok', metadata: readMetadata(data) };
}

function strings(value: unknown, max = 50): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list
    .filter(
      (v): v is string | number =>
        typeof v === 'string' || typeof v === 'number',
    )
    .map(v => String(v).trim().slice(0, 200))
    .filter(Boolean)
    .slice(0, max);
}

function first(value: unknown): string | undefined {
  return strings(value, 1)[0];
}

function readMetadata(data: Record<string, unknown>): ModelCardMetadata {
  const modelIndex = Array.isArray(data['model-index'])
    ? data['model-index'][0]
    : undefined;
  const licenses = strings(data.license);
  return {
    license: licenses.length > 1 ? licenses.join(' OR ') : licenses[0],
    licenseName: first(data.license_name),
    licenseLink: first(data.license_link),
    baseModels: strings(data.base_model),
    baseModelRelation: first(data.base_model_relation),
    datasets: strings(data.datasets),
    pipelineTag: first(data.pipeline_tag),
    libraryName: first(data.library_name),
    modelName: isPlainObject(modelIndex)
      ? first(modelIndex.name)
      : first(data.model_name),
    languages: strings(data.language),
  };
}
