import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { Route, Routes } from 'react-router-dom';
import type { Entity } from '@backstage/catalog-model';
import type {
  ArtifactVersion,
  EntityProvenance,
  StaleImportReport,
  TeamRiskSummary,
  RejectedArtifact,
} from '@ml-governance/plugin-ml-governance-common';
import {
  acceptance,
  counts,
  finding,
  findingsPage,
  modelEntity,
  summary,
} from './__testUtils__/fixtures';
import {
  markingTranslationApi,
  untranslatedWords,
} from './__testUtils__/markedTranslations';
import { API_BASE, renderWithApis } from './__testUtils__/renderWithApis';
import { setupMswServer } from './__testUtils__/server';
import { MlGovernanceCard } from './components/EntityCard/MlGovernanceCard';
import { MlGovernanceContent } from './components/EntityContent/MlGovernanceContent';
import { ApprovalsPage } from './components/Approvals/ApprovalsPage';
import { RejectedArtifactLog } from './components/RejectedArtifacts/RejectedArtifactLog';
import { TeamsPage } from './components/TeamDashboard/TeamsPage';
import { StaleImportReportPage } from './components/Reports/StaleImportReportPage';

/**
 * Every text the plugin shows goes through mlGovernanceTranslationRef (or a Backstage library's own
 * ref). The views render with a translation API that wraps every message in markers; whatever visible
 * text or accessible label is left outside the markers must be data the server sent (rule IDs,
 * messages, refs) or a formatted date. A hard-coded English word anywhere in these views fails here,
 * with the word and where it was.
 */

const server = setupMswServer();
const ENTITY_URL = `${API_BASE}/entities/resource/default/fraud-model`;

/** Serves `body` at `url` and records it as data the page may show verbatim. */
function serve(served: unknown[], handlers: Array<[string, unknown]>) {
  server.use(
    ...handlers.map(([url, body]) => {
      served.push(body);
      return http.get(url, () => HttpResponse.json(body as any));
    }),
  );
}

// The provenance and versions cards of the entity tab, with every status they label.
const provenance: EntityProvenance = {
  entityRef: 'resource:default/fraud-model',
  lastScannedAt: '2026-12-03T06:00:00.000Z',
  images: [
    {
      reference: 'oci://registry.internal/ml/serving:1.0',
      digest: `sha256:${'ab'.repeat(32)}`,
      status: 'scanned',
      signature: {
        status: 'verified',
        signer: { keyFingerprint: `sha256:${'cd'.repeat(32)}` },
      },
      problems: [],
    },
  ],
  modelSignatures: [
    {
      target: 'file:…/model',
      path: 'model.sig',
      status: 'mismatch',
      signedFiles: 3,
      files: ['config.json', 'model.safetensors'],
      signer: {
        subject: 'release@acme.example',
        issuer: 'https://accounts.acme.example',
      },
      problems: [],
    },
  ],
  pins: [{ path: 'config.json', expected: 'e'.repeat(64), status: 'matched' }],
};
const versionId = '3f2c1e9a-5b7d-4c1e-9f0a-1b2c3d4e5f60';
const versions: ArtifactVersion[] = [
  {
    id: versionId,
    entityRef: 'resource:default/fraud-model',
    target: 'file:/models/fraud',
    digest: `files:${'a'.repeat(64)}`,
    source: 'files',
    stage: 'evaluated',
    decision: 'PASS',
    current: true,
    firstSeenAt: '2026-11-20T09:00:00Z',
    lastSeenAt: '2026-11-21T09:00:00Z',
    revision: 3,
    promotionRequestedBy: 'user:default/alice',
    promotionRequestedAt: '2026-11-21T10:00:00Z',
    signOffs: [
      {
        kind: 'security',
        actor: 'user:default/bob',
        at: '2026-11-21T11:00:00Z',
        comment: 'Scan results reviewed.',
      },
    ],
    history: [
      {
        id: 'h1',
        versionId,
        revision: 1,
        action: 'recorded',
        actor: 'system:ml-governance',
        at: '2026-11-20T09:00:00Z',
      },
    ],
  },
];

const entityData = () => {
  const active = acceptance({
    id: 'acc-2',
    status: 'active',
    fingerprint: undefined,
    ruleId: 'KERAS-LAMBDA',
    decidedBy: 'user:default/approver',
    decisionComment: 'Fine until the retrain.',
    history: [
      {
        id: 'e1',
        acceptanceId: 'acc-2',
        action: 'requested',
        actor: 'user:default/owner',
        at: '2026-11-21T09:00:00Z',
      },
      {
        id: 'e2',
        acceptanceId: 'acc-2',
        action: 'approved',
        actor: 'user:default/approver',
        at: '2026-11-22T09:00:00Z',
        comment: 'Fine until the retrain.',
      },
      {
        id: 'e3',
        acceptanceId: 'acc-2',
        action: 'expiry-reminder',
        actor: 'system',
        at: '2026-11-23T09:00:00Z',
      },
    ],
  });
  const scans = [
    summary().lastScan,
    {
      ...summary().lastScan,
      id: 'scan-2',
      trigger: 'manual',
      requestedBy: 'user:default/owner',
      status: 'failed',
      error: 'target unreachable',
      decision: undefined,
      targets: [
        {
          target: 'file:./models/fraud.pt',
          status: 'failed',
          error: 'no such file',
        },
      ],
    },
  ];
  return {
    summary: summary(),
    scans,
    acceptances: [acceptance(), active],
    findings: findingsPage(
      [
        finding(0),
        finding(1, {
          severity: 'medium',
          status: 'open',
          location: { path: 'train.py', line: 12, column: 4 },
          evidence: { snippet: 'torch.load(path)', guard: 'none' },
        }),
      ],
      60,
    ),
  };
};

/** The words on the page that are neither a message nor data served to it. */
function untranslated(data: unknown[]): string[] {
  return untranslatedWords(document.body, data);
}

describe('every text of the plugin goes through its translation ref', () => {
  const translationApi = markingTranslationApi();

  it('the entity card, and its missing-annotation state', async () => {
    const data: unknown[] = [];
    serve(data, [[`${ENTITY_URL}/summary`, summary()]]);
    const { unmount } = await renderWithApis(<MlGovernanceCard />, {
      entity: modelEntity,
      translationApi,
    });
    await screen.findByTestId('ml-governance-decision');
    expect(untranslated(data)).toEqual([]);
    unmount();

    const unannotated: Entity = {
      ...modelEntity,
      metadata: { name: 'bare-model', namespace: 'default' },
    };
    await renderWithApis(<MlGovernanceCard />, {
      entity: unannotated,
      translationApi,
    });
    expect(untranslated([unannotated, 'ml-governance.io'])).toEqual([]);
  });

  it('the entity card of an entity not scanned yet', async () => {
    server.use(
      http.get(`${ENTITY_URL}/summary`, () =>
        HttpResponse.json({ error: { message: 'not found' } }, { status: 404 }),
      ),
    );
    await renderWithApis(<MlGovernanceCard />, {
      entity: modelEntity,
      translationApi,
    });
    await screen.findByTestId('ml-governance-decision');
    expect(untranslated([])).toEqual([]);
  });

  it('the entity tab: findings, filters, pagination, scan history, acceptances, drawer and request form', async () => {
    const data: unknown[] = [];
    const entity = entityData();
    serve(data, [
      [`${ENTITY_URL}/summary`, entity.summary],
      [`${ENTITY_URL}/scans`, entity.scans],
      [`${ENTITY_URL}/acceptances`, entity.acceptances],
      [`${ENTITY_URL}/findings`, entity.findings],
      [`${ENTITY_URL}/provenance`, provenance],
      [`${ENTITY_URL}/versions`, versions],
    ]);
    await renderWithApis(<MlGovernanceContent />, {
      entity: modelEntity,
      translationApi,
    });
    expect(
      await screen.findAllByTestId('ml-governance-finding-row'),
    ).toHaveLength(2);
    await screen.findAllByText(/target unreachable/);
    await screen.findByTestId('ml-governance-provenance');
    await screen.findByTestId('ml-governance-version');
    expect(untranslated(data)).toEqual([]);

    // an acceptance opened: justification, checklist, history with its actions
    fireEvent.click(screen.getByText(/Every KERAS-LAMBDA finding/));
    await screen.findByLabelText(/Acceptance history/);
    expect(untranslated(data)).toEqual([]);

    // the details drawer of a finding
    const [firstRow] = screen.getAllByTestId('ml-governance-finding-row');
    fireEvent.click(within(firstRow).getByRole('button', { name: /Details/ }));
    const drawer = await screen.findByRole('dialog');
    expect(untranslated(data)).toEqual([]);

    // the request form, submitted empty: every validation message shows
    fireEvent.click(
      within(drawer).getByRole('button', {
        name: /^\W*Request acceptance\W*$/,
      }),
    );
    const form = await screen.findByRole('dialog', {
      name: /Request risk acceptance/,
    });
    fireEvent.click(
      within(form).getByRole('button', { name: /Submit request/ }),
    );
    await within(form).findAllByText(/Answer this question/);
    expect(untranslated(data)).toEqual([]);
  });

  it('the approvals queue and the decision dialog', async () => {
    const data: unknown[] = [];
    serve(data, [
      [
        `${API_BASE}/acceptances`,
        [
          acceptance({ requestedBy: 'user:default/owner' }),
          acceptance({
            id: 'acc-3',
            status: 'rejected',
            decidedBy: 'user:default/approver',
          }),
        ],
      ],
    ]);
    await renderWithApis(<ApprovalsPage />, {
      userEntityRef: 'user:default/approver',
      translationApi,
    });
    const [approve] = await screen.findAllByTestId('ml-governance-approve');
    expect(untranslated(data)).toEqual([]);

    fireEvent.click(approve);
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(
      within(dialog).getByRole('button', { name: /Confirm approval/ }),
    );
    expect(untranslated(data)).toEqual([]);
  });

  it('the teams overview and a team dashboard', async () => {
    const data: unknown[] = [];
    const team: TeamRiskSummary = {
      owner: 'group:default/ml-platform',
      entities: [
        summary({ lastScan: undefined, lastScanAt: '2026-11-20T10:02:00Z' }),
      ],
      decisions: { BLOCK: 1, TICKET: 0, PASS: 2, UNKNOWN: 1 },
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
        {
          date: '2026-11-24',
          open: counts({ critical: 2 }),
          blockedEntities: 1,
        },
        { date: '2026-11-25', open: counts({ high: 2 }), blockedEntities: 0 },
      ],
    };
    serve(data, [
      [
        `${API_BASE}/teams`,
        [
          {
            owner: 'group:default/ml-platform',
            entityCount: 1,
            decisions: team.decisions,
            counts: team.counts,
          },
        ],
      ],
      [`${API_BASE}/teams/default/ml-platform`, team],
    ]);
    const page = (
      <Routes>
        <Route path="/ml-governance/teams/*" element={<TeamsPage />} />
      </Routes>
    );
    const { unmount } = await renderWithApis(page, {
      routeEntries: ['/ml-governance/teams'],
      translationApi,
    });
    await screen.findByText('ml-platform');
    expect(untranslated(data)).toEqual([]);
    unmount();

    await renderWithApis(page, {
      routeEntries: ['/ml-governance/teams/default/ml-platform'],
      translationApi,
    });
    await screen.findByTestId('ml-governance-trend-chart');
    expect(untranslated(data)).toEqual([]);
  });

  it('the stale-import report page', async () => {
    const data: unknown[] = [];
    const report: StaleImportReport = {
      id: 'r-q4',
      period: '2026-Q4',
      generatedAt: '2026-10-01T06:00:00Z',
      trigger: 'manual',
      teams: [
        {
          owner: 'group:default/ml-platform',
          staleDependencies: [
            {
              entityRef: 'resource:default/fraud-model',
              ruleId: 'DEP-STALE-RISKY',
              fingerprint: 'x',
              package: 'dill',
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
    serve(data, [
      [
        `${API_BASE}/reports/stale-imports`,
        [
          {
            id: 'r-q4',
            period: '2026-Q4',
            generatedAt: report.generatedAt,
            trigger: 'manual',
          },
        ],
      ],
      [`${API_BASE}/reports/stale-imports/r-q4`, report],
    ]);
    await renderWithApis(<StaleImportReportPage />, { translationApi });
    await screen.findByTestId('ml-governance-report-team');
    expect(untranslated(data)).toEqual([]);
  });

  it('the rejected-artifact log, with rows and empty', async () => {
    const data: unknown[] = [];
    const row: RejectedArtifact = {
      digest: `files:${'c'.repeat(64)}`,
      source: 'files',
      entityRef: 'resource:default/fraud-model',
      target: 'file:./models/fraud',
      ruleIds: [],
      rejectedBy: 'user:default/approver',
      rejectedAt: '2026-11-30T10:00:00Z',
      reason: 'backdoor',
      versionId: 'v-1',
    };
    serve(data, [
      [
        `${API_BASE}/rejected-artifacts`,
        { items: [row], totalCount: 1, offset: 0, limit: 25 },
      ],
    ]);
    const shown = await renderWithApis(<RejectedArtifactLog />, {
      translationApi,
    });
    await screen.findByTestId('ml-governance-rejected-artifact');
    await screen.findByTestId('ml-governance-rejected-csv');
    expect(untranslated(data)).toEqual([]);
    shown.unmount();
    serve(data, [
      [
        `${API_BASE}/rejected-artifacts`,
        { items: [], totalCount: 0, offset: 0, limit: 25 },
      ],
    ]);
    await renderWithApis(<RejectedArtifactLog />, { translationApi });
    await screen.findByTestId('ml-governance-rejected-artifact-log');
    await waitFor(() =>
      expect(screen.queryByRole('progressbar')).not.toBeInTheDocument(),
    );
    expect(untranslated(data)).toEqual([]);
  });

  it('is a real guard: a hard-coded word outside the messages is reported', async () => {
    const data: unknown[] = [];
    serve(data, [[`${ENTITY_URL}/summary`, summary()]]);
    await renderWithApis(
      <>
        <MlGovernanceCard />
        <span aria-label="Close dialog">Hard coded</span>
      </>,
      { entity: modelEntity, translationApi },
    );
    await screen.findByTestId('ml-governance-decision');
    expect(untranslatedWords(document.body, data)).toEqual([
      '"Hard" in the page text',
      '"coded" in the page text',
      '"Close" in span[aria-label]',
      '"dialog" in span[aria-label]',
    ]);
  });
});
