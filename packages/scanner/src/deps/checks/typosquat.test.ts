import { editDistance, findSquatTarget } from './typosquat';

describe('typosquat detection', () => {
  it('computes optimal-string-alignment distance with transpositions', () => {
    expect(editDistance('numpy', 'nupmy', 2)).toBe(1);
    expect(editDistance('torch', 'touch', 2)).toBe(1);
    expect(editDistance('pandas', 'pandas', 2)).toBe(0);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
  });

  it.each([
    ['scikitlearn', 'scikit-learn', 'separator'],
    ['huggingfacehub', 'huggingface-hub', 'separator'],
    ['t0rch', 'torch', 'homoglyph'],
    ['numpy1', 'numpy', 'edit-distance-1'],
    ['rnatplotlib', 'matplotlib', 'homoglyph'],
    ['safetensor', 'safetensors', 'edit-distance-1'],
    ['onnxrutnime', 'onnxruntime', 'edit-distance-1'],
    ['transfromerss', 'transformers', 'edit-distance-2'],
  ])('%s imitates %s (%s)', (name, target, technique) => {
    expect(findSquatTarget(name)).toEqual({ target, technique });
  });

  it.each(['torch', 'scikit-learn', 'scapy', 'torchx', 'boto', 'jax', 'onnx', 'xgboost', 'polars', 'httpx', 'django-rest', 'fastai'])('%s is not a squat', name => {
    expect(findSquatTarget(name)).toBeUndefined();
  });
});
