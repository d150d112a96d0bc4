import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import { signalAt } from '../common/signals';
import { readJsonInput } from '../common/readJson';
import { isPlainObject } from '../common/boundedJson';
import { modelComponent } from '../common/component';
import { reportKerasConfig } from './report';

const KERAS_TOP_LEVEL = /^\s*\{\s*"(?:module|class_name)"\s*:/;
const HF_CONFIG_KEYS =
  /"(?:architectures|model_type|auto_map|_name_or_path|transformers_version)"\s*:/;

/**
 * Claims JSON that serialises a Keras object: `config.json` of a `.keras` archive, or a
 * `model.to_json()` export. Hugging Face configs (with `architectures`/`model_type`) go to the
 * provenance reader instead.
 */
export function looksLikeKerasConfig(head: Uint8Array, name: string): boolean {
  const text = Buffer.from(head).toString('utf8');
  if (HF_CONFIG_KEYS.test(text)) return false;
  if (KERAS_TOP_LEVEL.test(text)) return true;
  return (
    name === 'config.json' &&
    /^\s*\{/.test(text) &&
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
    const properties: Record<string, string> = {};
    if (isPlainObject(config) && typeof config.class_name === 'string')
      properties['keras.class'] = config.class_name;
    ctx.addComponent(modelComponent(input, 'keras', properties));
  },
};
