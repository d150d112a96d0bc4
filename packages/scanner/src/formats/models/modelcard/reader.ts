import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import type { Component } from '../../../model/component';
import { signalAt } from '../common/signals';
import {
  MAX_FRONT_MATTER_BYTES,
  parseModelCard,
  type ModelCardMetadata,
} from './frontMatter';

const BOM = '\uFEFF';

/** Hugging Face model cards: `README.md` starting with YAML front matter. */
export const modelCardReader: FormatReader = {
  id: 'model-card',
  priority: 10,
  sniff: (head, name) =>
    name.toLowerCase() === 'readme.md' &&
    Buffer.from(head.subarray(0, 8))
      .toString('utf8')
      .replace(BOM, '')
      .startsWith('---'),
  async read(input: ReaderInput, ctx: ReaderContext) {
    ctx.setFormat('model-card');
    // Front matter sits at the top: the rest of a long README is never read.
    const length = Math.min(
      input.source.size,
      MAX_FRONT_MATTER_BYTES + 4096,
      ctx.limits.maxTextBytes,
    );
    const text = Buffer.from(await input.source.read(0, length)).toString(
      'utf8',
    );
    const parsed = parseModelCard(text);
    if (parsed.kind === 'none') return;
    if (parsed.kind === 'error') {
      ctx.emit(
        signalAt(
          input,
          'MODEL-CARD-MALFORMED',
          `Model card front matter does not parse: ${parsed.message}`,
          'front-matter',
          {},
        ),
      );
      return;
    }
    ctx.addComponent(modelCardComponent(input, parsed.metadata));
  },
};

/**
 * Licence strings are passed on as declared (`apache-2.0`, `other`...); licence normalisation and
 * policy happen downstream. `other` with a `license_name` becomes a LicenseRef so it is not lost.
 */
function modelCardComponent(
  input: ReaderInput,
  card: ModelCardMetadata,
): Component {
  const folder = input.location.path.includes('/')
    ? input.location.path.slice(0, input.location.path.lastIndexOf('/'))
    : '.';
  const properties: Record<string, string> = { format: 'model-card' };
  const set = (key: string, value: string | undefined) => {
    if (value) properties[key] = value;
  };
  set('license.declared', card.license);
  set('license.name', card.licenseName);
  set('license.link', card.licenseLink);
  set('library_name', card.libraryName);
  set('base_model_relation', card.baseModelRelation);
  if (card.languages.length) properties.language = card.languages.join(',');

  let license = card.license;
  if (license === 'other' && card.licenseName)
    license = `LicenseRef-${card.licenseName.replace(/[^A-Za-z0-9.-]+/g, '-')}`;
  return {
    type: 'machine-learning-model',
    name:
      card.modelName ??
      (input.location.entry?.length
        ? [input.location.path, ...input.location.entry].join('!/')
        : folder),
    path: input.location.path,
    ...(license ? { license } : {}),
    properties,
    modelCard: {
      ...(card.baseModels.length ? { baseModel: card.baseModels } : {}),
      ...(card.datasets.length ? { datasets: card.datasets } : {}),
      ...(card.pipelineTag ? { task: card.pipelineTag } : {}),
    },
  };
}
