import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import { signalAt } from '../common/signals';
import { jsonHeadText, readJsonInput } from '../common/readJson';
import { isHfConfigName, reportHfConfig } from '../provenance/hfConfigReader';
import { isPlainObject } from '../common/boundedJson';
import { modelComponent } from '../common/component';
import { reportKerasConfig } from './report';

const KERAS_TOP_LEVEL = /^\{\s*"(?:module|class_name)"\s*:/;
const HF_CONFIG_KEYS =
  /"(?:architectures|model_type|auto_map|_name_or_path|transformers_version)"\s*:/;

/**
 * Claims JSON that serialises a Keras object: `config.json` of a `.keras` archive, or a
 * `model.to_json()` export. A `config.json` with Hugging Face keys in its head goes to the
 * provenance reader, which runs the Keras checks too when the parsed JSON holds Keras objects;
 * this is only a choice of the first reader, not of the checks.
 */
export function looksLikeKerasConfig(head: Uint8Array, name: string): boolean {
  const text = jsonHeadText(head);
  if (HF_CONFIG_KEYS.test(text)) return false;
  if (KERAS_TOP_LEVEL.test(text)) return true;
  return (
    name === 'config.json' &&
    text.startsWith('{') &&
    text.includes('"class_name"')
  );
}

export const kerasConfigReader: FormatReader = {
  id: 'keras-config',
  priority: 30,
  sniff: (head, name) => looksLikeKerasConfig(head, name),
  async read(input: ReaderInput, ctx: ReaderContext) {
    ctx.setFormat('keras-config');
    const json = await readJsonInput(input, ctx, 'keras-config');
    if (!json) return;
    const config = json.value;
    if (config === undefined) {
      ctx.emit(
        signalAt(
          input,
          'MODEL-MALFORMED',
          'Keras config is not valid JSON',
          'keras-config:json',
          { format: 'keras-config' },
        ),
      );
      return;
    }
    reportKerasConfig(input, ctx, config, 'config.json');
    // transformers reads the same file and ignores the Keras keys: an `auto_map` past the head.
    if (isHfConfigName(input.name) && isPlainObject(config))
      reportHfConfig(input, ctx, config);
    const properties: Record<string, string> = {};
    if (isPlainObject(config) && typeof config.class_name === 'string')
      properties['keras.class'] = config.class_name;
    ctx.addComponent(modelComponent(input, 'keras', properties));
  },
};
