import { counts } from '../../__testUtils__/fixtures';
import { englishT } from '../../__testUtils__/englishT';
import { describeTrend, polylinePoints, trendSeries } from './trend';

describe('trend', () => {
  const points = [
    {
      date: '2026-11-24',
      open: counts({ critical: 1, low: 2 }),
      blockedEntities: 1,
    },
    { date: '2026-11-25', open: counts(), blockedEntities: 0 },
  ];

  it('sums every severity into open findings per day', () => {
    expect(trendSeries(englishT, points).map(s => s.values)).toEqual([
      [3, 0],
      [1, 0],
    ]);
  });

  it('scales values into the plot box with y growing downwards', () => {
    expect(polylinePoints([3, 0], 100, 30, 3)).toBe('0.0,0.0 100.0,30.0');
    expect(polylinePoints([2], 100, 30, 0)).toBe('0.0,30.0');
  });

  it('describes the trend in words', () => {
    expect(describeTrend(englishT, points)).toBe(
      'From 2026-11-24 to 2026-11-25, open findings went from 3 to 0 and blocked entities from 1 to 0.',
    );
    expect(describeTrend(englishT, [])).toBe('No trend data yet.');
  });
});
