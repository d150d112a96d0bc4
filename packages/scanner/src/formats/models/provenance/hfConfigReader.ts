import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import { isPlainObject } from '../common/boundedJson';
import { signalAt } from '../common/signals';
import { jsonHeadText, readJsonInput } from '../common/readJson';
import { holdsKerasObject } from '../keras/kerasConfig';
import { reportKerasConfig } from '../keras/report';
import { modelComponent } from '../common/component';
import { reportChatTemplate } from '../common/chatTemplate';
import { autoMapReferences } from './autoMap';
import { reportConfigTargets } from '../configs/configTargets';
import { reportTemplatesInConfig } from '../common/templatesInConfig';

/** Hugging Face JSON configs that can carry `auto_map` or a chat template. */
const HF_CONFIG_NAMES =
  /^(config|tokenizer_config|processor_config|preprocessor_config|feature_extractor_config|image_processor_config|chat_template)\.json$/;

/** Whether a file named like a Hugging Face config starts (after BOM and blanks) like a JSON object. */
export function looksLikeHfConfig(head: Uint8Array, name: string): boolean {
  if (!isHfConfigName(name)) return false;
  const text = jsonHeadText(head);
  // A head that is all blanks may still hold a config further on: json.load does not care.
  return text === '' || text.startsWith('{');
}

/**
 * Hugging Face `config.json` and friends: code that runs on load (`auto_map`,
 * `trust_remote_code`), chat templates in tokenizer configs, and the architecture for the ML-BOM.
 * Below the Keras config reader, which claims Keras-shaped `config.json` files first; a
 * `config.json` holding Keras objects as well (an HF key as a decoy, or a Keras shape pushed out
 * of the sniffed head) also gets the Keras checks, decided on the parsed JSON.
 */
export const hfConfigReader: FormatReader = {
  id: 'hf-config',
  priority: 25,
  sniff: (head, name) => looksLikeHfConfig(head, name),
  async read(input: ReaderInput, ctx: ReaderContext) {
    ctx.setFormat('hf-config');
    const json = await readJsonInput(input, ctx, 'hf-config');
    const config = json?.value;
    if (!isPlainObject(config)) return; // not ours to judge: transformers would fail to load it

    reportHfConfig(input, ctx, config);
    if (input.name === 'config.json') {
      ctx.addComponent(hfModelComponent(input, config));
      // Keras loads `config.json` from a `.keras` archive whatever other keys it carries.
      if (holdsKerasObject(config)) {
        ctx.setFormat('keras-config');
        reportKerasConfig(input, ctx, config, 'config.json');
      }
    }
  },
};

/** The Hugging Face checks on a parsed config: remote code and chat templates. */
export function reportHfConfig(
  input: ReaderInput,
  ctx: ReaderContext,
  config: Record<string, unknown>,
): void {
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
  // transformers ignores `_target_`, but Hydra-based trainers (NeMo, Lightning recipes) load
  // the same file with instantiate.
  reportConfigTargets(input, ctx, config, input.name);
  // Templates nested deeper than the top-level key (processor and generation configs).
  const { chat_template: _top, ...rest } = config;
  reportTemplatesInConfig(input, ctx, rest);
}

/** Hugging Face file names whose JSON the HF checks apply to. */
export function isHfConfigName(name: string): boolean {
  return HF_CONFIG_NAMES.test(name.toLowerCase());
}

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
