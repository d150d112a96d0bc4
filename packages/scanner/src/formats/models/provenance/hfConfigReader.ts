import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import { isPlainObject } from '../common/boundedJson';
import { signalAt } from '../common/signals';
import { readJsonInput } from '../common/readJson';
import { modelComponent } from '../common/component';
import { reportChatTemplate } from '../common/chatTemplate';
import { autoMapReferences } from './autoMap';

/** Hugging Face JSON configs that can carry `auto_map` or a chat template. */
const HF_CONFIG_NAMES =
  /^(config|tokenizer_config|processor_config|preprocessor_config|feature_extractor_config|image_processor_config|chat_template)\.json$/;

/**
 * Hugging Face `config.json` and friends: code that runs on load (`auto_map`,
 * `trust_remote_code`), chat templates in tokenizer configs, and the architecture for the ML-BOM.
 * Below the Keras config reader, which claims Keras-shaped `config.json` files first.
 */
export const hfConfigReader: FormatReader = {
  id: 'hf-config',
  priority: 25,
  sniff: (head, name) =>
    HF_CONFIG_NAMES.test(name.toLowerCase()) &&
    /^\s*\{/.test(
      Buffer.from(head.subarray(0, 64))
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    ),
  async read(input: ReaderInput, ctx: ReaderContext) {
    ctx.setFormat('hf-config');
    const json = await readJsonInput(input, ctx, 'hf-config');
    const config = json?.value;
    if (!isPlainObject(config)) return; // not ours to judge: transformers would fail to load it

    for (const ref of autoMapReferences(config)) {
      const where = ref.repository
        ? `pulled from another repository, ${ref.repository} (${ref.moduleFile})`
        : `${ref.moduleFile} from the model repository`;
      ctx.emit(
        signalAt(
          input,
          'MODEL-REMOTE-CODE',
          `auto_map ${ref.autoClass} → ${ref.reference}: runs ${where} with trust_remote_code`,
          ref.reference,
          {
            autoClass: ref.autoClass,
            symbol: ref.reference,
            moduleFile: ref.moduleFile,
            codeSource: ref.repository ? 'other-repository' : 'this-repository',
            ...(ref.repository ? { repository: ref.repository } : {}),
          },
        ),
      );
    }
    if (config.trust_remote_code === true) {
      ctx.emit(
        signalAt(
          input,
          'MODEL-REMOTE-CODE',
          `${input.name} sets trust_remote_code: true`,
          'trust_remote_code',
          { snippet: '"trust_remote_code": true' },
        ),
      );
    }
    checkChatTemplate(input, ctx, config.chat_template);
    if (input.name === 'config.json')
      ctx.addComponent(hfModelComponent(input, config));
  },
};

function checkChatTemplate(
  input: ReaderInput,
  ctx: ReaderContext,
  template: unknown,
) {
  // A string, or a list of named templates: [{ name, template }].
  if (typeof template === 'string')
    reportChatTemplate(input, ctx, 'chat_template', template);
  if (!Array.isArray(template)) return;
  for (const named of template.filter(isPlainObject)) {
    if (typeof named.template === 'string')
      reportChatTemplate(
        input,
        ctx,
        `chat_template.${String(named.name)}`,
        named.template,
      );
  }
}

function hfModelComponent(input: ReaderInput, config: Record<string, unknown>) {
  const properties: Record<string, string> = {};
  for (const key of [
    'model_type',
    'transformers_version',
    '_name_or_path',
    'torch_dtype',
  ]) {
    if (typeof config[key] === 'string')
      properties[`hf.${key}`] = (config[key] as string).slice(0, 200);
  }
  const component = modelComponent(input, 'hf-config', properties);
  const architectures = Array.isArray(config.architectures)
    ? config.architectures.filter(a => typeof a === 'string')
    : [];
  if (architectures.length)
    component.modelCard = { architecture: architectures.slice(0, 5).join(',') };
  return component;
}
