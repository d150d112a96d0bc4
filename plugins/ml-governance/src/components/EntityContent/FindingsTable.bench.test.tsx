/**
 * Render time of the findings table at 100 and 1,000 rows (the tab pages on the server, 25 rows by
 * default; 1,000 is the worst case of an un-paged entity). Opt-in, as it is slow on shared CI:
 *   ML_GOV_BENCH=1 yarn backstage-cli package test --watchAll=false FindingsTable.bench
 */
import { renderInTestApp } from '@backstage/test-utils';
import { waitFor } from '@testing-library/react';
import { finding } from '../../__testUtils__/fixtures';
import { FindingsTable } from './FindingsTable';

const benchmark = process.env.ML_GOV_BENCH ? describe : describe.skip;
const noop = () => {};

async function timeRender(
  rows: number,
): Promise<{ elapsed: number; rendered: number }> {
  const findings = Array.from({ length: rows }, (_, i) =>
    finding(i, {
      severity: (['critical', 'high', 'medium', 'low', 'info'] as const)[i % 5],
    }),
  );
  const started = performance.now();
  const { container, unmount } = await renderInTestApp(
    <FindingsTable
      findings={findings}
      pendingFingerprints={new Set(['fp-3'])}
      canRequestAcceptance
      onShowDetails={noop}
      onRequestAcceptance={noop}
    />,
  );
  await waitFor(
    () => expect(container.querySelectorAll('tbody tr')).toHaveLength(rows),
    { timeout: 120_000 },
  );
  const elapsed = performance.now() - started;
  const rendered = container.querySelectorAll('tbody tr').length;
  unmount();
  return { elapsed, rendered };
}

benchmark('FindingsTable render time', () => {
  it('renders 100 and 1,000 rows', async () => {
    await timeRender(25); // warm-up: module init, JSS style sheets
    const results: Record<number, number[]> = { 100: [], 1000: [] };
    for (let run = 0; run < 3; run++) {
      for (const rows of [100, 1000]) {
        const { elapsed, rendered } = await timeRender(rows);
        expect(rendered).toBe(rows);
        results[rows].push(Math.round(elapsed));
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[1];
    // eslint-disable-next-line no-console
    console.log(
      `FindingsTable render (jsdom, median of 3): 100 rows ${median(
        results[100],
      ).toFixed(0)} ms, ` +
        `1000 rows ${median(results[1000]).toFixed(
          0,
        )} ms; runs ${JSON.stringify(results)}`,
    );
  }, 600_000);
});
