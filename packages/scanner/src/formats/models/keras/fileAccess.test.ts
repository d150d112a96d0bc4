import { inspectKerasConfig } from './kerasConfig';

const layer = (class_name: string, config: Record<string, unknown>) => ({
  module: 'keras.layers',
  class_name,
  config: { name: `${class_name.toLowerCase()}_1`, ...config },
  registered_name: null,
});
const model = (...layers: object[]) => ({
  module: 'keras',
  class_name: 'Sequential',
  config: { name: 'seq', layers },
});
const fileIssues = (config: unknown) =>
  inspectKerasConfig(config).issues.filter(
    i => i.ruleId === 'MODEL-KERAS-FILE-ACCESS',
  );

describe('Keras layers that read files or URLs on load (CVE-2025-12058)', () => {
  it.each([
    ['StringLookup', { vocabulary: '/etc/passwd' }, '/etc/passwd'],
    [
      'IntegerLookup',
      { vocabulary: '../../home/user/.ssh/id_rsa' },
      '../../home/user/.ssh/id_rsa',
    ],
    [
      'TextVectorization',
      { vocabulary: 'gs://attacker/vocab.txt' },
      'gs://attacker/vocab.txt',
    ],
    [
      'TextVectorization',
      { idf_weights: 's3://bucket/idf.npy', output_mode: 'tf_idf' },
      's3://bucket/idf.npy',
    ],
    [
      'StringLookup',
      { vocabulary: 'https://evil.example/v.txt' },
      'https://evil.example/v.txt',
    ],
    [
      'CustomLayer',
      { options: { asset_path: '/var/run/secrets/token' } },
      '/var/run/secrets/token',
    ],
    [
      'Dense',
      { units: 4, note: 'http://169.254.169.254/latest/meta-data/' },
      'http://169.254.169.254/latest/meta-data/',
    ],
  ])('%s with %j is reported', (className, config, value) => {
    const issues = fileIssues(model(layer(className, config)));
    expect(issues).toHaveLength(1);
    expect(issues[0].symbol).toBe(value);
    expect(issues[0].message).toContain('CVE-2025-12058');
  });

  it('passes inline vocabularies and ordinary layer configs', () => {
    expect(
      fileIssues(
        model(
          layer('StringLookup', {
            vocabulary: ['a', 'b'],
            mask_token: null,
            oov_token: '[UNK]',
          }),
          layer('TextVectorization', {
            vocabulary: null,
            split: 'whitespace',
            standardize: 'lower_and_strip_punctuation',
          }),
          layer('Dense', {
            units: 4,
            activation: 'relu',
            kernel_initializer: {
              module: 'keras.initializers',
              class_name: 'GlorotUniform',
              config: { seed: null },
            },
          }),
          layer('Rescaling', { scale: 0.5, offset: 0 }),
        ),
      ),
    ).toEqual([]);
  });
});
