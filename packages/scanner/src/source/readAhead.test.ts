import { readAhead } from './readAhead';

describe('readAhead', () => {
  it('yields results in input order with errors in place, never more than `window` loads at once', async () => {
    let inFlight = 0;
    let peak = 0;
    const load = async (n: number) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise(resolve => setTimeout(resolve, (7 - n) * 2));
      inFlight--;
      if (n === 3) throw new Error('unreadable');
      return n * 10;
    };
    const results = [];
    for await (const result of readAhead([1, 2, 3, 4, 5, 6], load, 3))
      results.push(result);
    expect(
      results.map(result => result.value ?? (result.error as Error).message),
    ).toEqual([10, 20, 'unreadable', 40, 50, 60]);
    expect(peak).toBeLessThanOrEqual(3);
  });
});
