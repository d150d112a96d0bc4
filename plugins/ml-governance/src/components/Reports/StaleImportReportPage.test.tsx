import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import type { StaleImportReport } from '@ml-governance/plugin-ml-governance-common';
import { acceptance, finding } from '../../__testUtils__/fixtures';
import { API_BASE, renderWithApis } from '../../__testUtils__/renderWithApis';
import { setupMswServer } from '../../__testUtils__/server';
import { StaleImportReportPage } from './StaleImportReportPage';

const server = setupMswServer();

const metas = [
  {
    id: 'r-q4',
    period: '2026-Q4',
    generatedAt: '2026-10-01T06:00:00Z',
    trigger: 'schedule',
  },
  {
    id: 'r-q3',
    period: '2026-Q3',
    generatedAt: '2026-07-01T06:00:00Z',
    trigger: 'schedule',
  },
];

function report(id: string, period: string): StaleImportReport {
  return {
    id,
    period,
    generatedAt: '2026-10-01T06:00:00Z',
    trigger: 'schedule',
    teams: [
      {
        owner: 'group:default/ml-platform',
        staleDependencies: [
          {
            entityRef: 'resource:default/fraud-model',
            ruleId: 'DEP-STALE-RISKY',
            fingerprint: 'x',
            package: `dill-${period}`,
            path: 'requirements.txt',
            message: 'dill is declared but never imported',
            firstSeenAt: '2026-05-01T00:00:00Z',
          },
        ],
        undeclaredImports: [],
        expiringAcceptances: [acceptance({ status: 'active' })],
        longOpenFindings: [finding(1)],
      },
    ],
  };
}

describe('StaleImportReportPage', () => {
  it('shows the latest report per team with CSV and JSON links, and earlier ones on request', async () => {
    server.use(
      http.get(`${API_BASE}/reports/stale-imports`, () =>
        HttpResponse.json(metas),
      ),
      http.get(`${API_BASE}/reports/stale-imports/r-q4`, () =>
        HttpResponse.json(report('r-q4', '2026-Q4')),
      ),
      http.get(`${API_BASE}/reports/stale-imports/r-q3`, () =>
        HttpResponse.json(report('r-q3', '2026-Q3')),
      ),
    );
    await renderWithApis(<StaleImportReportPage />);

    const section = await screen.findByTestId('ml-governance-report-team');
    expect(section).toHaveTextContent('dill-2026-Q4');
    expect(section).toHaveTextContent('Undeclared risky imports (0)');
    expect(section).toHaveTextContent('Acceptances expiring this quarter (1)');
    expect(section).toHaveTextContent(
      'Findings open longer than a quarter (1)',
    );
    expect(screen.getByTestId('ml-governance-report-csv')).toHaveAttribute(
      'href',
      `${API_BASE}/reports/stale-imports/r-q4/export?format=csv`,
    );
    expect(screen.getByTestId('ml-governance-report-json')).toHaveAttribute(
      'href',
      `${API_BASE}/reports/stale-imports/r-q4/export?format=json`,
    );

    fireEvent.mouseDown(
      screen.getByRole('button', { name: /2026-Q4 \(latest\)/ }),
    );
    fireEvent.click(await screen.findByText(/2026-Q3 —/, { selector: 'li' }));
    await waitFor(() =>
      expect(screen.getByTestId('ml-governance-report-team')).toHaveTextContent(
        'dill-2026-Q3',
      ),
    );
  });

  it('generates a report on demand for users allowed to', async () => {
    let generated = false;
    server.use(
      http.get(`${API_BASE}/reports/stale-imports`, () =>
        HttpResponse.json(generated ? metas : []),
      ),
      http.post(`${API_BASE}/reports/stale-imports`, () => {
        generated = true;
        return HttpResponse.json(metas[0]);
      }),
      http.get(`${API_BASE}/reports/stale-imports/r-q4`, () =>
        HttpResponse.json(report('r-q4', '2026-Q4')),
      ),
    );
    await renderWithApis(<StaleImportReportPage />);

    expect(await screen.findByText('No report yet')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Generate now' }));
    expect(
      await screen.findByTestId('ml-governance-report-team'),
    ).toHaveTextContent('dill-2026-Q4');
    expect(
      within(screen.getByTestId('ml-governance-reports-page')).getByText(
        /2026-Q4 · generated/,
      ),
    ).toBeInTheDocument();
  });
});
