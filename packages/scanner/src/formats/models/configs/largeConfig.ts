import type { ReaderContext, ReaderInput } from '../../../engine/FormatReader';
import { signalAt } from '../common/signals';
import { targetsInText } from './configDocument';
import { gradeCallable } from './callableKnowledge';

/**
 * Configs larger than maxTextBytes (a 30 MB `tokenizer.json`, a generated YAML) are not parsed;
 * their text is searched in bounded chunks instead. A file with no `_target_`, Python tag or
 * template marker has nothing this reader checks and passes; one with them gets its targets
 * graded from the text and a SCAN-LIMIT for the structure that was not parsed.
 */
const CHUNK = 1024 * 1024;
const OVERLAP = 4096;
const MARKERS =
  /_target_|_call_|_callable_|_func_|!!python\/|chat_template|\{%-?\s*(for|if|set)\b/;

export async function checkLargeConfig(
  input: ReaderInput,
  ctx: ReaderContext,
): Promise<void> {
  const { source } = input;
  const readable = Math.min(source.size, ctx.limits.maxHeaderBytes);
  const targets = new Set<string>();
  let marker: string | undefined;
  for (let offset = 0; offset < readable; offset += CHUNK) {
    ctx.checkDeadline();
    const length = Math.min(CHUNK + OVERLAP, readable - offset);
    const text = Buffer.from(await source.read(offset, length)).toString(
      'utf8',
    );
    marker ??= MARKERS.exec(text)?.[0];
    for (const symbol of targetsInText(text)) targets.add(symbol);
  }
  for (const symbol of targets) {
    const grade = gradeCallable(symbol, ctx.options.trustedGlobals ?? []);
    if (grade.verdict === 'trusted') continue;
    ctx.emit(
      signalAt(
        input,
        'MODEL-CONFIG-CALLABLE',
        `${input.name} names _target_ ${symbol} (found in the text of a config too large to parse), which ${grade.why}`,
        `text-target:${symbol}`,
        { symbol, mechanism: 'hydra-instantiate', verdict: grade.verdict },
        { severity: grade.severity },
      ),
    );
  }
  if (marker !== undefined || readable < source.size)
    ctx.emit(
      signalAt(
        input,
        'SCAN-LIMIT',
        readable < source.size
          ? `${input.name} of ${source.size} bytes is larger than maxHeaderBytes; only its first ${readable} bytes were searched for _target_ keys and templates`
          : `${input.name} of ${source.size} bytes exceeds maxTextBytes (${
              ctx.limits.maxTextBytes
            }) and holds ${JSON.stringify(
              marker,
            )}: its structure and templates were not parsed, only its _target_ values graded from the text`,
        'config:maxTextBytes',
        { limit: 'maxTextBytes' },
      ),
    );
}
