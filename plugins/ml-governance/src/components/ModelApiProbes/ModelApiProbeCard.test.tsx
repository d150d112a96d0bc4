import { fireEvent, screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import type { ModelApiProbeSeries } from '@ml-governance/plugin-ml-governance-common';
import { API_BASE, renderWithApis } from '../../__testUtils__/renderWithApis';
import { setupMswServer } from '../../__testUtils__/server';
import { ModelApiProbeCard } from './ModelApiProbeCard';
import {
  MODEL_API_REF,
  modelApiEntity,
  run,
  series,
} from '../../__testUtils__/probeSeries';

const server = setupMswServer();

/** Serves `body` for the card's entity (and only for it: another entityRef is a 404). */
function serve(body: ModelApiProbeSeries | { status: number }) {
  server.use(
    http.get(`${API_BASE}/model-apis/probes`, ({ request }) => {
      const entityRef = new URL(request.url).searchParams.get('entityRef');
      if (entityRef !== MODEL_API_REF)
        return HttpResponse.json({}, { status: 404 });
      if ('status' in body)
        return HttpResponse.json(
          { error: { name: 'Error', message: 'prober store down' } },
          { status: body.status },
        );
      return HttpResponse.json(body);
    }),
  );
}

async function renderCard(body: ModelApiProbeSeries | { status: number }) {
  serve(body);
  await renderWithApis(<ModelApiProbeCard />, { entity: modelApiEntity });
  return screen.findByTestId('ml-governance-model-api-probes');
}

function chart(measure: 'latencyMs' | 'similarity' | 'refusalRate') {
  return screen.getByTestId(`ml-governance-probe-chart-${measure}`);
}

describe('ModelApiProbeCard', () => {
  it('draws each measure against its baseline band, cut to what the measure can be', async () => {
    await renderCard(series());
    await screen.findByTestId('ml-governance-probe-chart-latencyMs');

    const latencyBand = within(chart('latencyMs')).getByTestId(
      'ml-governance-probe-band',
    );
    expect(latencyBand).toHaveAttribute('data-low', '140');
    expect(latencyBand).toHaveAttribute('data-high', '260');
    // 0.1 ± 3 × 0.02 → 0.04..0.16
    const refusalBand = within(chart('refusalRate')).getByTestId(
      'ml-governance-probe-band',
    );
    expect(Number(refusalBand.getAttribute('data-low'))).toBeCloseTo(0.04);
    expect(Number(refusalBand.getAttribute('data-high'))).toBeCloseTo(0.16);

    // Every chart says the same to a screen reader.
    expect(
      within(chart('latencyMs')).getByRole('img', {
        name: /Baseline band from 140 ms to 260 ms, mean 200 ms/,
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Baseline band: mean ± 3 standard deviations over 10 healthy runs.',
      ),
    ).toBeInTheDocument();
  });

  it('marks the run with alerts in every chart and lists its alerts', async () => {
    await renderCard(series());
    await screen.findByTestId('ml-governance-probe-chart-latencyMs');

    for (const measure of ['latencyMs', 'similarity', 'refusalRate'] as const) {
      const points = within(chart(measure)).getAllByTestId(
        'ml-governance-probe-point',
      );
      expect(points).toHaveLength(11);
      const alerted = points.filter(
        point => point.getAttribute('data-alert') === 'true',
      );
      expect(alerted).toHaveLength(1);
      expect(alerted[0].tagName.toLowerCase()).toBe('path'); // a diamond, not only a colour
    }
    const [latencyAlert] = within(chart('latencyMs'))
      .getAllByTestId('ml-governance-probe-point')
      .filter(point => point.getAttribute('data-alert') === 'true');
    expect(latencyAlert.querySelector('title')?.textContent).toMatch(
      /910 ms, alerts: Latency outside the band, Answers drifted from the references$/,
    );
    expect(
      within(chart('latencyMs')).getByRole('img', {
        name: /11 runs .* latest 910 ms, 1 with alerts/,
      }),
    ).toBeInTheDocument();

    const alerts = screen.getByTestId('ml-governance-probe-alerts');
    expect(
      within(alerts).getByText(
        'Latency outside the band: mean latency 910 ms is 35.5σ above the baseline',
      ),
    ).toBeInTheDocument();
  });

  it('shows every run value in a table on request, newest first', async () => {
    await renderCard(series());
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    fireEvent.click(
      await screen.findByRole('button', { name: 'Show run values' }),
    );

    const table = screen.getByRole('table', {
      name: 'Probe runs, newest first',
    });
    const rows = within(table).getAllByTestId('ml-governance-probe-run');
    expect(rows).toHaveLength(11);
    expect(rows[0]).toHaveAttribute('data-alert', 'true');
    const newest = within(rows[0]);
    expect(newest.getByText('910 ms')).toBeInTheDocument();
    expect(newest.getByText('62%')).toBeInTheDocument();
    expect(newest.getByText('10%')).toBeInTheDocument();
    expect(
      newest.getByText(/Answers drifted from the references/),
    ).toBeInTheDocument();
    expect(within(rows[1]).getByText('None')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Hide run values' }));
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows what the API is: provider, pinned model, system prompt and digest, stage', async () => {
    await renderCard(series({ stage: 'quarantined' }));
    expect(await screen.findByText('openai-compatible')).toBeInTheDocument();
    const model = screen.getByTestId('ml-governance-model-api-model');
    expect(model).toHaveTextContent('gpt-4o-2024-08-06');
    expect(model).toHaveTextContent('Pinned');
    const prompt = screen.getByTestId('ml-governance-model-api-system-prompt');
    expect(prompt).toHaveTextContent(
      'https://git.example.test/support/prompts/system.md',
    );
    expect(prompt).toHaveTextContent(`sha256:${'5e'.repeat(32)}`);
    expect(screen.getByTestId('ml-governance-version-stage')).toHaveAttribute(
      'data-stage',
      'quarantined',
    );
    expect(screen.getByText('Quarantined')).toBeInTheDocument();
    expect(
      screen.queryByTestId('ml-governance-model-unpinned'),
    ).not.toBeInTheDocument();
  });

  it('warns when the model is an alias rather than a pinned version', async () => {
    await renderCard(
      series({ model: 'gpt-4o', modelPinned: false, systemPrompt: undefined }),
    );
    const warning = await screen.findByTestId('ml-governance-model-unpinned');
    expect(warning).toHaveTextContent(
      'The model "gpt-4o" is an alias, not a pinned version',
    );
    expect(
      screen.getByTestId('ml-governance-model-api-model'),
    ).toHaveTextContent('Not pinned');
    expect(
      screen.getByTestId('ml-governance-model-api-system-prompt'),
    ).toHaveTextContent('Not declared');
  });

  it('draws the runs without a band, and says why, before a baseline exists', async () => {
    await renderCard(series({ baseline: undefined, runs: [run(0), run(1)] }));
    expect(
      await screen.findByTestId('ml-governance-probe-no-baseline'),
    ).toHaveTextContent('No baseline yet');
    expect(
      screen.queryByTestId('ml-governance-probe-band'),
    ).not.toBeInTheDocument();
    expect(
      within(chart('similarity')).getAllByTestId('ml-governance-probe-point'),
    ).toHaveLength(2);
    expect(
      within(chart('similarity')).getByRole('img', {
        name: /No baseline band yet/,
      }),
    ).toBeInTheDocument();
  });

  it('says so when nothing has been probed yet', async () => {
    await renderCard(series({ baseline: undefined, runs: [] }));
    expect(await screen.findByText(/No probe runs yet/)).toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
    // the declaration is still shown
    expect(screen.getByText('openai-compatible')).toBeInTheDocument();
  });

  it('shows an unusable declaration as an error, not as an empty history', async () => {
    await renderCard(
      series({
        runs: [],
        baseline: undefined,
        declarationError: 'provider "acme" is not configured',
      }),
    );
    expect(
      await screen.findByTestId('ml-governance-model-api-declaration-error'),
    ).toHaveTextContent('provider "acme" is not configured');
  });

  it('shows the error panel when the probes cannot be loaded', async () => {
    await renderCard({ status: 500 });
    expect(
      await screen.findByText(/Could not load the probe runs/),
    ).toBeInTheDocument();
    // The panel shows the server's message (and, in its details, the whole response body).
    expect(screen.getAllByText(/prober store down/).length).toBeGreaterThan(0);
  });

  it('skips a value the server did not send as a number instead of drawing it at zero', async () => {
    const broken = run(3, { latencyMs: null as unknown as number });
    await renderCard(series({ runs: [run(0), run(1), run(2), broken] }));
    await screen.findByTestId('ml-governance-probe-chart-latencyMs');
    expect(
      within(chart('latencyMs')).getAllByTestId('ml-governance-probe-point'),
    ).toHaveLength(3);
    expect(
      within(chart('similarity')).getAllByTestId('ml-governance-probe-point'),
    ).toHaveLength(4);
    fireEvent.click(screen.getByRole('button', { name: 'Show run values' }));
    const [newest] = screen.getAllByTestId('ml-governance-probe-run');
    expect(within(newest).getAllByRole('cell')[3]).toHaveTextContent('—');
  });
});
