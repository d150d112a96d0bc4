import { computeBaseline, declarationAlerts, deviationAlerts } from './drift';

const CONFIG = {
  window: 10,
  minRuns: 5,
  thresholdSigma: 3,
  stdDevFloor: { latencyMs: 50, similarity: 0.02, refusalRate: 0.05 },
};

const run = (latencyMs: number, similarity = 0.9, refusalRate = 0.5) => ({
  latencyMs,
  similarity,
  refusalRate,
});

describe('computeBaseline', () => {
  it('waits for minRuns healthy runs and uses the newest `window` of them', () => {
    expect(
      computeBaseline([run(100), run(100), run(100), run(100)], CONFIG),
    ).toBeUndefined();
    const runs = [
      ...Array.from({ length: 10 }, () => run(100)),
      ...Array.from({ length: 5 }, () => run(9999)),
    ];
    const baseline = computeBaseline(runs, CONFIG)!;
    expect(baseline.runs).toBe(10);
    expect(baseline.latencyMs.mean).toBe(100);
  });

  it('uses the sample standard deviation, floored', () => {
    const baseline = computeBaseline(
      [run(100), run(200), run(300), run(400), run(500)],
      CONFIG,
    )!;
    expect(baseline.latencyMs.mean).toBe(300);
    expect(baseline.latencyMs.stdDev).toBeCloseTo(158.11, 1);
    expect(baseline.similarity.stdDev).toBe(0.02);
  });
});

describe('deviationAlerts', () => {
  const flat = computeBaseline(
    Array.from({ length: 5 }, () => run(100, 0.9, 0.5)),
    CONFIG,
  )!;

  it('does not alert on noise around a perfectly flat baseline (the floor)', () => {
    expect(deviationAlerts(run(140, 0.87, 0.6), flat, 3)).toEqual([]);
  });

  it('alerts on each measure beyond the threshold, in both directions', () => {
    const kinds = (x: ReturnType<typeof run>) =>
      deviationAlerts(x, flat, 3).map(a => a.kind);
    expect(kinds(run(400))).toEqual(['latency']);
    expect(kinds(run(100, 0.5))).toEqual(['similarity']);
    expect(kinds(run(100, 0.9, 0))).toEqual(['refusal-rate']);
    expect(kinds(run(100, 0.9, 1))).toEqual(['refusal-rate']);
    expect(deviationAlerts(run(400), flat, 3)[0].message).toMatch(
      /6\.0σ from the baseline 100 ms/,
    );
  });

  it('says nothing without a baseline', () => {
    expect(deviationAlerts(run(99999), undefined, 3)).toEqual([]);
  });
});

describe('declarationAlerts', () => {
  const base = {
    model: 'm-2024-01-01',
    modelPinned: true,
    pinningReason: '',
    probes: 3,
    errors: 0,
  };
  const kinds = (input: Partial<Parameters<typeof declarationAlerts>[0]>) =>
    declarationAlerts({ ...base, ...input }).map(a => a.kind);

  it('is quiet when the pinned model answered and nothing changed', () => {
    expect(
      kinds({
        observedModel: 'm-2024-01-01',
        previous: { observedModel: 'm-2024-01-01' },
      }),
    ).toEqual([]);
  });

  it('alerts on an unpinned model, another model, a changed prompt and all probes failing', () => {
    expect(kinds({ modelPinned: false, model: 'm' })).toEqual([
      'unpinned-model',
    ]);
    expect(kinds({ observedModel: 'm-2024-06-01' })).toEqual(['model-version']);
    expect(
      kinds({
        modelPinned: false,
        model: 'm',
        observedModel: 'b',
        previous: { observedModel: 'a' },
      }),
    ).toEqual(['unpinned-model', 'model-version']);
    // Back to the pin after a change is the fix, not another change.
    expect(
      kinds({
        observedModel: 'm-2024-01-01',
        previous: { observedModel: 'm-2024-06-01' },
      }),
    ).toEqual([]);
    expect(
      kinds({
        systemPromptDigest: 'sha256:b',
        previous: { systemPromptDigest: 'sha256:a' },
      }),
    ).toEqual(['system-prompt']);
    expect(kinds({ systemPromptDigest: 'sha256:b', previous: {} })).toEqual([
      'system-prompt',
    ]);
    expect(kinds({ errors: 3, firstError: 'HTTP 401' })).toEqual([
      'probe-errors',
    ]);
    expect(kinds({ errors: 2 })).toEqual([]);
  });
});
