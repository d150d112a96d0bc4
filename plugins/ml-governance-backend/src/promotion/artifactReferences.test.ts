import {
  MAX_DIGEST_LENGTH,
  movingReference,
  sourceOfTarget,
  versionDigest,
} from './artifactReferences';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const IMAGE = `sha256:${'c'.repeat(64)}`;

describe('moving references', () => {
  it.each([
    ['hf://org/model', 'main'],
    ['hf://org/model@main', 'main'],
    ['hf://org/model@v1.0', 'v1.0'],
    ['https://huggingface.co/org/model', 'main'],
    ['https://huggingface.co/org/model/tree/dev', 'dev'],
    ['mlflow://fraud/Production', 'Production'],
    ['mlflow://fraud/latest', 'latest'],
    ['mlflow://fraud@champion', 'champion'],
    ['models:/fraud@challenger', 'challenger'],
    ['oci://registry.example.com/ml/scorer:latest', 'latest'],
    ['oci://registry.example.com/ml/scorer:1.2', '1.2'],
    ['oci://registry.example.com/ml/scorer', 'latest'],
    ['oci://registry.example.com:5000/ml/scorer', 'latest'],
    ['url:https://github.com/org/repo/tree/main/models', 'main'],
    [
      'url:https://gitlab.example.com/org/repo/-/tree/release/models',
      'release',
    ],
  ])('%s moves with %s', (target, reference) => {
    expect(movingReference(target)).toMatchObject({
      reference,
      reason: expect.any(String),
    });
  });

  it.each([
    [`hf://org/model@${SHA}`],
    [`https://huggingface.co/org/model/tree/${SHA}`],
    ['mlflow://fraud/3'],
    [`oci://registry.example.com/ml/scorer@${IMAGE}`],
    [`oci://registry.example.com/ml/scorer:1.2@${IMAGE}`],
    [`url:https://github.com/org/repo/tree/${SHA}/models`],
    ['url:https://example.com/models.tar.gz'],
    ['file:/srv/models/fraud'],
    ['s3://bucket/prefix'],
  ])('%s is pinned (or has no version syntax)', target => {
    expect(movingReference(target)).toBeUndefined();
  });

  it('classifies sources by scheme', () => {
    expect(sourceOfTarget('file:/x')).toBe('files');
    expect(sourceOfTarget('hf://a/b')).toBe('huggingface');
    expect(sourceOfTarget('https://huggingface.co/a/b')).toBe('huggingface');
    expect(sourceOfTarget('mlflow://a/1')).toBe('mlflow');
    expect(sourceOfTarget('s3://b/p')).toBe('s3');
    expect(sourceOfTarget('oci://h/r:t')).toBe('image');
    expect(sourceOfTarget('url:https://github.com/a/b')).toBe('url');
    expect(sourceOfTarget('custom:thing')).toBe('other');
  });

  it('keeps digests up to the limit and hashes longer ones', () => {
    const exact = 'x'.repeat(MAX_DIGEST_LENGTH);
    expect(versionDigest(exact)).toBe(exact);
    const long = versionDigest(`${exact}y`);
    expect(long).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(versionDigest(`${exact}z`)).not.toBe(long);
  });
});
