import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import type { Component } from '../../../model/component';
import { BufferedSource } from '../common/BufferedSource';
import { describeMagic } from '../common/magic';
import { reportDisguise } from '../common/disguise';
import { signalAt } from '../common/signals';
import { modelComponent } from '../common/component';
import { readGgufHeader, type GgufHeader } from './ggufHeader';
import { reportChatTemplate } from '../common/chatTemplate';
import { looksLikeJinja } from '../common/templatesInConfig';

const GGUF_MAGIC = [0x47, 0x47, 0x55, 0x46];

function hasGgufMagic(head: Uint8Array): boolean {
  return GGUF_MAGIC.every((b, i) => head[i] === b);
}

/**
 * GGUF (llama.cpp and friends): reads the header and metadata only. Structural problems are
 * findings (native parsers have overflowed on them); chat templates are checked for template
 * injection; name, licence and base models go to the ML-BOM.
 */
export const ggufReader: FormatReader = {
  id: 'gguf',
  // Above the pickle and archive readers, so a pickle named `.gguf` is reported as disguised.
  priority: 1000,
  sniff: (head, name) =>
    hasGgufMagic(head) || name.toLowerCase().endsWith('.gguf'),
  async read(input: ReaderInput, ctx: ReaderContext) {
    if (!hasGgufMagic(input.head) && describeMagic(input.head) !== 'unknown') {
      await reportDisguise(input, ctx, 'GGUF');
      return;
    }
    ctx.setFormat('gguf');
    const header = await readGgufHeader(new BufferedSource(input.source), {
      maxKeyValues: 100_000,
      maxTensors: 10_000_000,
      maxKeptString: ctx.limits.maxTextBytes,
      maxArrayNesting: 4,
      maxHeaderBytes: ctx.limits.maxHeaderBytes,
      onProgress: () => ctx.checkDeadline(),
    });
    for (const problem of header.problems) {
      ctx.emit(
        signalAt(
          input,
          'MODEL-MALFORMED',
          `Malformed GGUF header: ${problem}`,
          `gguf:${problem.replace(/\d+/g, 'N')}`,
          { format: 'gguf' },
        ),
      );
    }
    if (header.limitHit) {
      ctx.emit(
        signalAt(
          input,
          'SCAN-LIMIT',
          `GGUF ${header.limitHit}; the rest was not analysed`,
          'gguf:maxHeaderBytes',
          { limit: 'maxHeaderBytes' },
        ),
      );
    }
    for (const key of header.unreadKeys) {
      ctx.emit(
        signalAt(
          input,
          'SCAN-LIMIT',
          `GGUF ${key} is longer than maxTextBytes and was not checked`,
          `gguf:${key}:maxTextBytes`,
          {
            limit: 'maxTextBytes',
            metadataKey: key,
          },
        ),
      );
    }
    checkChatTemplates(input, ctx, header);
    ctx.addComponent(ggufComponent(input, header));
  },
};

function checkChatTemplates(
  input: ReaderInput,
  ctx: ReaderContext,
  header: GgufHeader,
) {
  // Named templates (`tokenizer.chat_template.tool_use`) and any other string key holding Jinja:
  // runtimes pick templates by key, and a custom key can be selected by a serving config.
  for (const [key, value] of header.metadata) {
    if (typeof value !== 'string') continue;
    if (key.startsWith('tokenizer.chat_template') || looksLikeJinja(value))
      reportChatTemplate(input, ctx, key, value);
  }
}

function ggufComponent(input: ReaderInput, header: GgufHeader): Component {
  const text = (key: string) => {
    const v = header.metadata.get(key);
    if (v === undefined) return undefined;
    return typeof v === 'string' ? v.slice(0, 200) : String(v);
  };
  const properties: Record<string, string> = {
    'gguf.version': String(header.version),
    tensors: String(header.tensorCount),
  };
  for (const key of [
    'general.name',
    'general.architecture',
    'general.license',
    'general.license.name',
    'general.license.link',
    'general.organization',
    'general.version',
    'general.file_type',
    'general.quantization_version',
  ]) {
    const v = text(key);
    if (v !== undefined) properties[key] = v;
  }
  const baseModels: string[] = [];
  const baseCount = Number(
    header.metadata.get('general.base_model.count') ?? 0,
  );
  for (let i = 0; i < Math.min(baseCount, 20); i++) {
    const name =
      text(`general.base_model.${i}.repo_url`) ??
      [
        text(`general.base_model.${i}.organization`),
        text(`general.base_model.${i}.name`),
      ]
        .filter(Boolean)
        .join('/');
    if (name) baseModels.push(name);
  }
  const component = modelComponent(input, 'gguf', properties);
  const license = text('general.license');
  if (license) component.license = license;
  component.modelCard = {
    architecture: text('general.architecture'),
    ...(baseModels.length ? { baseModel: baseModels } : {}),
  };
  return component;
}
