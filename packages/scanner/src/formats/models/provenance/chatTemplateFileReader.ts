import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import { reportChatTemplate } from '../common/chatTemplate';
import { signalAt } from '../common/signals';

/** Chat templates shipped as their own file (`chat_template.jinja`, recent `transformers`). */
export const chatTemplateFileReader: FormatReader = {
  id: 'chat-template',
  priority: 10,
  sniff: (_head, name) => name.toLowerCase().endsWith('.jinja'),
  async read(input: ReaderInput, ctx: ReaderContext) {
    ctx.setFormat('chat-template');
    if (input.source.size > ctx.limits.maxTextBytes) {
      ctx.emit(
        signalAt(
          input,
          'SCAN-LIMIT',
          `${input.name} is longer than maxTextBytes and was not checked`,
          'chat-template:maxTextBytes',
          {
            limit: 'maxTextBytes',
          },
        ),
      );
      return;
    }
    const text = Buffer.from(
      await input.source.read(0, input.source.size),
    ).toString('utf8');
    reportChatTemplate(input, ctx, input.name, text);
  },
};
