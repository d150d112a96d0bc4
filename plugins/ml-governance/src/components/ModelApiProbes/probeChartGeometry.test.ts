import {
  MEASURE_BOUNDS,
  baselineBand,
  plotPoints,
  scaleY,
  valueDomain,
} from './probeChartGeometry';
import { run } from '../../__testUtils__/probeSeries';

describe('baselineBand', () => {
  it('is mean ± thresholdSigma × stdDev', () => {
    expect(
      baselineBand({ mean: 200, stdDev: 20 }, 3, MEASURE_BOUNDS.latencyMs),
    ).toEqual({ mean: 200, low: 140, high: 260 });
  });

  it('never reaches past what the measure can be (no negative latency, no share above 1)', () => {
    expect(
      baselineBand({ mean: 50, stdDev: 40 }, 3, MEASURE_BOUNDS.latencyMs),
    ).toEqual({ mean: 50, low: 0, high: 170 });
    const band = baselineBand(
      { mean: 0.95, stdDev: 0.05 },
      3,
      MEASURE_BOUNDS.similarity,
    )!;
    expect(band.high).toBe(1);
    expect(band.low).toBeCloseTo(0.8);
  });

  it('draws no band from a baseline that is missing or not made of finite numbers', () => {
    const bounds = MEASURE_BOUNDS.refusalRate;
    expect(baselineBand(undefined, 3, bounds)).toBeUndefined();
    expect(baselineBand({ mean: NaN, stdDev: 0.1 }, 3, bounds)).toBeUndefined();
    expect(
      baselineBand({ mean: 0.1, stdDev: null as any }, 3, bounds),
    ).toBeUndefined();
    expect(baselineBand({ mean: 0.1, stdDev: -1 }, 3, bounds)).toBeUndefined();
    expect(baselineBand({ mean: 0.1, stdDev: 0.1 }, Infinity, bounds)).toBe(
      undefined,
    );
  });
});

describe('valueDomain', () => {
  it('spans the runs and the band with a margin', () => {
    const [low, high] = valueDomain(
      [180, 910],
      { mean: 200, low: 140, high: 260 },
      MEASURE_BOUNDS.latencyMs,
    );
    expect(low).toBeCloseTo(140 - 77);
    expect(high).toBeCloseTo(910 + 77);
  });

  it('keeps a flat series off the edges and inside the bounds', () => {
    const [low, high] = valueDomain(
      [0.5, 0.5],
      undefined,
      MEASURE_BOUNDS.similarity,
    );
    expect(low).toBeLessThan(0.5);
    expect(high).toBeGreaterThan(0.5);
    expect(valueDomain([1, 1], undefined, MEASURE_BOUNDS.similarity)).toEqual([
      0.9, 1,
    ]);
    expect(valueDomain([0, 0], undefined, MEASURE_BOUNDS.latencyMs)).toEqual([
      0, 0.01,
    ]);
  });

  it('falls back to the whole range when there is nothing to show', () => {
    expect(valueDomain([], undefined, MEASURE_BOUNDS.refusalRate)).toEqual([
      0, 1,
    ]);
    expect(valueDomain([], undefined, MEASURE_BOUNDS.latencyMs)).toEqual([
      0, 1,
    ]);
  });
});

describe('plotPoints', () => {
  it('spreads runs evenly in order, top of the plot for the highest value', () => {
    const runs = [run(0, { latencyMs: 100 }), run(1, { latencyMs: 300 })];
    const points = plotPoints(runs, 'latencyMs', 400, 100, [100, 300]);
    expect(points.map(p => [p.x, p.y])).toEqual([
      [0, 100],
      [400, 0],
    ]);
  });

  it('puts a single run in the middle and marks runs with alerts', () => {
    const [point] = plotPoints(
      [run(0, { alerts: [{ kind: 'model-version', message: 'changed' }] })],
      'similarity',
      400,
      100,
      [0, 1],
    );
    expect(point.x).toBe(200);
    expect(point.alerted).toBe(true);
  });

  it('keeps the position of the other runs when one has no value', () => {
    const runs = [run(0), run(1, { similarity: undefined as any }), run(2)];
    const points = plotPoints(runs, 'similarity', 400, 100, [0, 1]);
    expect(points.map(p => p.x)).toEqual([0, 400]);
  });
});

it('scaleY maps the domain onto the height, y growing downwards', () => {
  expect(scaleY(0.25, [0, 1], 200)).toBe(150);
});
