import { Scanner } from '../../../engine/Scanner';
import { modelCardReader } from './reader';
import { parseModelCard } from './frontMatter';
import { assertReaderIsRobust } from '../common/__testUtils__/fuzzReader';

const scan = (text: string, name = 'README.md') =>
  new Scanner({ readers: [modelCardReader] }).scanBytes(
    Buffer.from(text),
    name,
  );

const CARD = `---
license: llama3.1
base_model:
- meta-llama/Llama-3.1-8B
datasets: [HuggingFaceH4/ultrachat_200k]
pipeline_tag: text-generation
library_name: transformers
language: [en, de]
model-index:
- name: my-chat-model
  results: []
---
# My chat model

Some text with --- dashes.
`;

describe('model card reader', () => {
  it('puts licence, base model, datasets and task into the ML-BOM', async () => {
    const result = await scan(CARD);
    expect(result.findings).toEqual([]);
    expect(result.components).toEqual([
      expect.objectContaining({
        type: 'machine-learning-model',
        name: 'my-chat-model',
        license: 'llama3.1',
        modelCard: {
          baseModel: ['meta-llama/Llama-3.1-8B'],
          datasets: ['HuggingFaceH4/ultrachat_200k'],
          task: 'text-generation',
        },
        properties: expect.objectContaining({
          library_name: 'transformers',
          language: 'en,de',
        }),
      }),
    ]);
  });

  it('keeps a custom licence by name and link', async () => {
    const result = await scan(
      '---\nlicense: other\nlicense_name: acme-research\nlicense_link: https://acme.example/LICENSE\n---\n',
    );
    expect(result.components[0]).toMatchObject({
      license: 'LicenseRef-acme-research',
      properties: {
        'license.declared': 'other',
        'license.name': 'acme-research',
        'license.link': 'https://acme.example/LICENSE',
      },
    });
  });

  it('reports broken YAML as a low finding with the reason', async () => {
    const result = await scan('---\nlicense: [mit\n---\n');
    expect(result.findings.map(f => [f.ruleId, f.severity])).toEqual([
      ['MODEL-CARD-MALFORMED', 'low'],
    ]);
  });

  it('survives an alias bomb without expanding it', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(
          97 + i,
        )} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(
          96 + i,
        )},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`,
      );
    const started = Date.now();
    const parsed = parseModelCard(`---\n${bomb.join('\n')}\n---\n`);
    expect(parsed.kind).toBe('error');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('never evaluates front matter as code (gray-matter ---js)', async () => {
    const result = await scan(
      '---js\n{ license: (function(){ throw new Error("ran") })() }\n---\n',
    );
    expect(result.findings).toEqual([]);
    expect(result.components).toEqual([]);
  });

  it('ignores READMEs without front matter', async () => {
    expect((await scan('# Just a readme\n')).files[0].formats).toEqual([]);
  });

  it('never throws on arbitrary or mutated input', async () => {
    await expect(
      assertReaderIsRobust(modelCardReader, 'README.md', [Buffer.from(CARD)]),
    ).resolves.toBeUndefined();
  });
});
