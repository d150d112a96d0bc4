import { parseArgs } from 'node:util';
import { RULES } from '../rules/catalogue';
import { rulesJson, rulesMarkdown } from '../report/rulesCatalogue';
import { EXIT_CODES, UsageError } from './exitCodes';
import type { CliIo } from './io';
import { RULES_HELP } from './help';

export async function rulesCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      format: { type: 'string', short: 'f' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(RULES_HELP);
    return EXIT_CODES.PASS;
  }
  const format = values.format ?? 'text';
  if (format === 'markdown') io.stdout.write(rulesMarkdown(RULES));
  else if (format === 'json') io.stdout.write(rulesJson(RULES));
  else if (format === 'text') io.stdout.write(rulesTable());
  else
    throw new UsageError(`--format ${format}: expected text, markdown or json`);
  return EXIT_CODES.PASS;
}

function rulesTable(): string {
  const width = Math.max(4, ...RULES.map(rule => rule.id.length));
  const lines = RULES.map(
    rule =>
      `${rule.id.padEnd(width)}  ${rule.severity.padEnd(
        8,
      )}  ${rule.category.padEnd(13)}  ${rule.title}`,
  );
  return `${[
    `${'ID'.padEnd(width)}  SEVERITY  CATEGORY       TITLE`,
    ...lines,
  ].join('\n')}\n`;
}
