import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { Route, Routes } from 'react-router-dom';
import type { TeamRiskSummary } from '@ml-governance/plugin-ml-governance-common';
import { counts, finding, summary } from '../../__testUtils__/fixtures';
import { API_BASE, renderWithApis } from '../../__testUtils__/renderWithApis';
import { setupMswServer } from '../../__testUtils__/server';
import { TeamsPage } from './TeamsPage';

const server = setupMswServer();
const decisions = (block: number, pass: number) => ({
  BLOCK: block,
  TICKET: 0,
  PASS: pass,
  UNKNOWN: 0,
});

// As the backend sends them: team summaries carry `lastScanAt`, not the full last run.
const SCANNED_AT = '2026-11-20T10:02:00Z';
const team: TeamRiskSummary = {
  owner: 'group:default/ml-platform',
  entities: [
    summary({
      entityRef: 'resource:default/clean-model',
      decision: 'PASS',
      counts: counts(),
      lastScan: undefined,
      lastScanAt: SCANNED_AT,
    }),
    summary({
      entityRef: 'resource:default/fraud-model',
      decision: 'BLOCK',
      lastScan: undefined,
      lastScanAt: SCANNED_AT,
    }),
  ],
  decisions: decisions(1, 1),
  counts: counts({ critical: 1, high: 2 }),
  topRules: [
    {
      ruleId: 'PICKLE-GLOBAL',
      title: 'Pickle imports a dangerous callable',
      count: 3,
    },
  ],
  oldestOpen: [finding(1)],
  trend: [
    { date: '2026-11-23', open: counts({ critical: 3 }), blockedEntities: 2 },
    { date: '2026-11-24', open: counts({ critical: 2 }), blockedEntities: 1 },
    {
      date: '2026-11-25',
      open: counts({ critical: 1, high: 2 }),
      blockedEntities: 1,
    },
  ],
};

function renderTeams(path: string) {
  return renderWithApis(
    <Routes>
      <Route path="/ml-governance/teams/*" element={<TeamsPage />} />
    </Routes>,
    { routeEntries: [path] },
  );
}

describe('TeamsPage', () => {
  it('lists teams, most blocked first, linking to their dashboards', async () => {
    server.use(
      http.get(`${API_BASE}/teams`, () =>
        HttpResponse.json([
          {
            owner: 'group:default/analytics',
            entityCount: 1,
            decisions: decisions(0, 1),
            counts: counts(),
          },
          {
            owner: 'group:default/ml-platform',
            entityCount: 2,
            decisions: decisions(1, 1),
            counts: counts({ critical: 1 }),
          },
        ]),
      ),
    );
    await renderTeams('/ml-governance/teams');

    const links = await screen.findAllByRole('link', {
      name: /ml-platform|analytics/,
    });
    expect(links.map(link => link.textContent)).toEqual([
      'ml-platform',
      'analytics',
    ]);
    expect(links[0]).toHaveAttribute(
      'href',
      '/ml-governance/teams/default/ml-platform',
    );
  });

  it('shows one team: decisions, severities, trend, top rules, oldest findings and drill-down links', async () => {
    server.use(
      http.get(`${API_BASE}/teams/default/ml-platform`, () =>
        HttpResponse.json(team),
      ),
    );
    await renderTeams('/ml-governance/teams/default/ml-platform');

    const dashboard = await screen.findByTestId('ml-governance-team-dashboard');
    expect(
      within(dashboard).getByRole('heading', { name: 'ml-platform' }),
    ).toBeInTheDocument();
    expect(
      within(dashboard).getByTestId('ml-governance-decision-counts'),
    ).toHaveTextContent('BLOCK1TICKET0PASS1UNKNOWN0');
    expect(
      within(dashboard).getByRole('img', {
        name: /open findings went from 3 to 3 and blocked entities from 2 to 1/,
      }),
    ).toBeInTheDocument();
    expect(
      within(dashboard).getByText('PICKLE-GLOBAL — 3'),
    ).toBeInTheDocument();
    // entities most at risk first, each linking to its ML Governance tab
    const entityLinks = within(dashboard).getAllByRole('link', {
      name: /-model$/,
    });
    expect(entityLinks[0]).toHaveTextContent('fraud-model');
    expect(entityLinks[0]).toHaveAttribute(
      'href',
      '/catalog/default/resource/fraud-model/ml-governance',
    );
    // scanned entities show when, not "—"
    const fraudRow = entityLinks[0].closest('tr')!;
    expect(fraudRow).toHaveTextContent(
      new Date(SCANNED_AT).toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short',
      }),
    );
    expect(fraudRow).not.toHaveTextContent('—');
    expect(
      within(dashboard).getByText('Oldest open findings'),
    ).toBeInTheDocument();
    expect(
      within(dashboard).getByText(
        'models/fraud.pt › archive/data.pkl @ byte 101',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '← All teams' })).toHaveAttribute(
      'href',
      '/ml-governance/teams',
    );
  });

  it('says so when the team owns nothing governed', async () => {
    server.use(
      http.get(`${API_BASE}/teams/default/web`, () =>
        HttpResponse.json(
          { error: { name: 'NotFoundError', message: 'no entities' } },
          { status: 404 },
        ),
      ),
    );
    await renderTeams('/ml-governance/teams/default/web');
    expect(await screen.findByText('No governed entities')).toBeInTheDocument();
  });

  it('says when no team has been scanned', async () => {
    server.use(http.get(`${API_BASE}/teams`, () => HttpResponse.json([])));
    await renderTeams('/ml-governance/teams');
    expect(await screen.findByText('No teams yet')).toBeInTheDocument();
  });
});
