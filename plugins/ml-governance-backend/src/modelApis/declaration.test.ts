import type { Entity } from '@backstage/catalog-model';
import { declaresModelApi, parseModelApiDeclaration } from './declaration';
import { modelPinning } from './modelPinning';

const PROVIDERS = new Set(['openai', 'local']);

function api(
  annotations: Record<string, string>,
  spec: object = { type: 'llm' },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'assistant', annotations },
    spec,
  };
}

const SUITE = 'https://example.com/probes.yaml';

describe('parseModelApiDeclaration', () => {
  it('reads provider, model, pinning and locations', () => {
    const result = parseModelApiDeclaration(
      api({
        'ml-governance.io/model-api': 'openai/gpt-4o-2024-08-06',
        'ml-governance.io/system-prompt': 'prompts/system.md',
        'ml-governance.io/probe-suite': SUITE,
        'backstage.io/source-location':
          'url:https://github.com/acme/assistant/tree/main/',
      }),
      PROVIDERS,
    );
    expect(result).toEqual({
      ok: true,
      declaration: expect.objectContaining({
        providerId: 'openai',
        model: 'gpt-4o-2024-08-06',
        modelPinned: true,
        systemPrompt:
          'https://github.com/acme/assistant/tree/main/prompts/system.md',
        probeSuite: SUITE,
      }),
    });
  });

  it.each([
    [{}, 'is missing'],
    [
      { 'ml-governance.io/model-api': 'gpt-4o' },
      'must be <provider-id>/<model>',
    ],
    [{ 'ml-governance.io/model-api': 'Open AI/gpt' }, 'spaces or control'],
    [
      { 'ml-governance.io/model-api': 'openai/gpt\u0000x' },
      'spaces or control',
    ],
    [
      { 'ml-governance.io/model-api': `openai/${'m'.repeat(3000)}` },
      'too long',
    ],
    [{ 'ml-governance.io/model-api': 'openai/' }, 'model name'],
    [{ 'ml-governance.io/model-api': 'openai/bad"name' }, 'model name'],
    [{ 'ml-governance.io/model-api': 'nowhere/gpt-4o' }, 'not configured'],
    [
      { 'ml-governance.io/model-api': 'openai/gpt-4o' },
      'probe-suite is missing',
    ],
    [
      {
        'ml-governance.io/model-api': 'openai/gpt-4o',
        'ml-governance.io/probe-suite': 'file:///etc/passwd',
      },
      'http(s) URL',
    ],
    [
      {
        'ml-governance.io/model-api': 'openai/gpt-4o',
        'ml-governance.io/probe-suite': 'probes.yaml',
      },
      'no url: backstage.io/source-location',
    ],
    [
      {
        'ml-governance.io/model-api': 'openai/gpt-4o',
        'ml-governance.io/probe-suite': SUITE,
        // eslint-disable-next-line no-script-url -- the hostile value under test
        'ml-governance.io/system-prompt': 'javascript:alert(1)',
      },
      'http(s) URL',
    ],
  ])('refuses %p with a visible error (%s)', (annotations, error) => {
    const result = parseModelApiDeclaration(api(annotations), PROVIDERS);
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringContaining(error),
    });
    const refused = result as Extract<typeof result, { ok: false }>;
    expect(refused.provider.length).toBeLessThanOrEqual(121);
    expect(refused.model.length).toBeLessThanOrEqual(121);
  });

  it('concerns APIs of type llm and any entity with the annotation', () => {
    expect(declaresModelApi(api({}))).toBe(true);
    expect(declaresModelApi(api({}, { type: 'openapi' }))).toBe(false);
    expect(
      declaresModelApi({
        ...api({ 'ml-governance.io/model-api': 'openai/x' }),
        kind: 'Component',
      }),
    ).toBe(true);
  });
});

describe('modelPinning', () => {
  it.each([
    ['gpt-4o-2024-08-06', true],
    ['claude-3-5-sonnet-20241022', true],
    ['gpt-4-0613', true],
    ['gemini-1.5-pro@002', true],
    ['gpt-4o', false],
    ['gpt-4o-latest', false],
    ['chatgpt-4o-latest', false],
    ['claude-3-5-sonnet-latest', false],
    ['gemini-exp-1206', false],
    ['llama3:8b', false],
  ])('%s pinned: %p', (model, pinned) => {
    const result = modelPinning(model);
    expect(result.pinned).toBe(pinned);
    expect(result.reason).toContain(model);
  });
});
