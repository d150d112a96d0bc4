import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { modelEntity, summary } from '../../__testUtils__/fixtures';
import { API_BASE, renderWithApis } from '../../__testUtils__/renderWithApis';
import { setupMswServer } from '../../__testUtils__/server';
import { MlGovernanceCard } from './MlGovernanceCard';

const server = setupMswServer();
const SUMMARY_URL = `${API_BASE}/entities/resource/default/fraud-model/summary`;

describe('MlGovernanceCard', () => {
  it.each([
    ['BLOCK', 'Release blocked'],
    ['TICKET', 'Release allowed with a ticket'],
    ['PASS', 'Release allowed'],
    ['UNKNOWN', 'Not scanned yet'],
  ] as const)(
    'shows the %s decision with its meaning',
    async (decision, meaning) => {
      server.use(
        http.get(SUMMARY_URL, () => HttpResponse.json(summary({ decision }))),
      );
      await renderWithApis(<MlGovernanceCard />, { entity: modelEntity });

      const label = await screen.findByTestId('ml-governance-decision');
      expect(label).toHaveTextContent(decision);
      expect(label).toHaveAttribute('data-decision', decision);
      expect(screen.getByText(meaning)).toBeInTheDocument();
    },
  );

  it('shows open counts by severity, last scan status, pending acceptances and links to the tab', async () => {
    server.use(
      http.get(SUMMARY_URL, () =>
        HttpResponse.json(
          summary({
            counts: { critical: 1, high: 2, medium: 3, low: 0, info: 0 },
            pendingAcceptances: 2,
          }),
        ),
      ),
    );
    await renderWithApis(<MlGovernanceCard />, { entity: modelEntity });

    expect(await screen.findByText('Critical: 1')).toBeInTheDocument();
    expect(screen.getByText('High: 2')).toBeInTheDocument();
    expect(screen.getByText('Medium: 3')).toBeInTheDocument();
    expect(screen.getByText('Succeeded')).toBeInTheDocument();
    expect(
      screen.getByTestId('ml-governance-pending-acceptances'),
    ).toHaveTextContent('2');
    expect(
      screen.getByRole('link', { name: /view findings and history/i }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/fraud-model/ml-governance',
    );
  });

  it('shows the failed scan error', async () => {
    const failed = summary();
    failed.lastScan = {
      ...failed.lastScan!,
      status: 'failed',
      error: 'artifact location unreachable',
    };
    server.use(http.get(SUMMARY_URL, () => HttpResponse.json(failed)));
    await renderWithApis(<MlGovernanceCard />, { entity: modelEntity });

    expect(await screen.findByText('Failed')).toBeInTheDocument();
    expect(
      screen.getByText('artifact location unreachable'),
    ).toBeInTheDocument();
  });

  it('names the annotation to add when the entity tells the scanner nothing', async () => {
    const bare = {
      ...modelEntity,
      metadata: { name: 'bare-model', namespace: 'default' },
    };
    await renderWithApis(<MlGovernanceCard />, { entity: bare });

    expect(
      screen.getAllByText(/ml-governance\.io\/artifacts/).length,
    ).toBeGreaterThan(0);
    expect(
      screen.queryByTestId('ml-governance-decision'),
    ).not.toBeInTheDocument();
  });

  it('treats an entity unknown to the backend as not scanned yet', async () => {
    server.use(
      http.get(SUMMARY_URL, () =>
        HttpResponse.json(
          { error: { name: 'NotFoundError', message: 'no scans' } },
          { status: 404 },
        ),
      ),
    );
    await renderWithApis(<MlGovernanceCard />, { entity: modelEntity });

    expect(
      await screen.findByTestId('ml-governance-decision'),
    ).toHaveTextContent('UNKNOWN');
  });

  it('reports a server error', async () => {
    server.use(
      http.get(SUMMARY_URL, () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'database is down' } },
          { status: 500 },
        ),
      ),
    );
    await renderWithApis(<MlGovernanceCard />, { entity: modelEntity });

    expect(
      await screen.findByText(/could not load the ml governance summary/i),
    ).toBeInTheDocument();
  });
});
