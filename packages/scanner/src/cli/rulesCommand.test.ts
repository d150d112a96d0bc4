import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../rules/catalogue';
import { main } from './main';
import { captureIo } from './testing';

const RULES_DOC = join(__dirname, '..', '..', '..', '..', 'docs', 'rules.md');

async function rules(...args: string[]) {
  const { io, output } = captureIo('/');
  const code = await main(['rules', ...args], io);
  return { code, ...output };
}

describe('mlgov rules', () => {
  it('lists every catalogue rule with its severity', async () => {
    const result = await rules();
    expect(result.code).toBe(0);
    for (const rule of RULES)
      expect(result.stdout).toMatch(
        new RegExp(`^${rule.id} +${rule.severity} `, 'm'),
      );
  });

  it('prints the catalogue as JSON and as Markdown with an anchor per rule', async () => {
    expect(
      JSON.parse((await rules('--format', 'json')).stdout).map(
        (r: { id: string }) => r.id,
      ),
    ).toEqual(RULES.map(r => r.id));
    const markdown = (await rules('--format', 'markdown')).stdout;
    for (const rule of RULES)
      expect(markdown).toContain(`<a id="${rule.docsAnchor}"></a>`);
    expect((await rules('--format', 'pdf')).code).toBe(2);
  });

  it('keeps docs/rules.md in step with the catalogue', async () => {
    const generated = (await rules('--format', 'markdown')).stdout;
    const committed = readFileSync(RULES_DOC, 'utf8');
    if (committed !== generated) {
      throw new Error(
        'docs/rules.md is out of date with the rule catalogue. Regenerate it from the repository root with:\n' +
          '  packages/scanner/bin/mlgov rules --format markdown > docs/rules.md',
      );
    }
    expect(committed).toBe(generated);
  });
});
