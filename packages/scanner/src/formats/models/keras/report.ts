import type { ReaderContext, ReaderInput } from '../../../engine/FormatReader';
import { signalAt } from '../common/signals';
import { inspectKerasConfig } from './kerasConfig';

/** Emits the findings of one Keras config; `origin` says where it came from (for messages and keys). */
export function reportKerasConfig(
  input: ReaderInput,
  ctx: ReaderContext,
  config: unknown,
  origin: string,
  extraNote = '',
) {
  const { issues, truncated } = inspectKerasConfig(config);
  for (const issue of issues) {
    ctx.emit(
      signalAt(
        input,
        issue.ruleId,
        `${issue.message}${extraNote}`,
        `${origin}:${issue.key}`,
        {
          symbol: issue.symbol,
          layer: issue.layer,
          configPath: issue.path,
          source: origin,
          ...(issue.codeNames ? { codeNames: issue.codeNames } : {}),
        },
        { severity: issue.severity },
      ),
    );
  }
  if (truncated) {
    ctx.emit(
      signalAt(
        input,
        'SCAN-LIMIT',
        `Keras ${origin} is too large or deep to walk completely; the rest was not analysed`,
        `keras:${origin}:nodes`,
        { limit: 'kerasConfigNodes' },
      ),
    );
  }
  return issues;
}
