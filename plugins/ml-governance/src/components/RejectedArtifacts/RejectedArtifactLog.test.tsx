import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import type {
  Page,
  RejectedArtifact,
} from '@ml-governance/plugin-ml-governance-common';
import { API_BASE, renderWithApis } from '../../__testUtils__/renderWithApis';
import { setupMswServer } from '../../__testUtils__/server';
import { ApprovalsPage } from '../Approvals/ApprovalsPage';
import { RejectedArtifactLog, displayText } from './RejectedArtifactLog';

const server = setupMswServer();
const DIGEST = `files:${'b'.repeat(64)}`;

function rejected(partial: Partial<RejectedArtifact> = {}): RejectedArtifact {
  return {
    digest: DIGEST,
    source: 'files',
    entityRef: 'resource:default/fraud-model',
    target: 'file:./models/fraud',
    ruleIds: ['PICKLE-GLOBAL-EXEC', 'INTAKE-MOVING-REFERENCE'],
    rejectedBy: 'user:default/bob',
    rejectedAt: '2026-11-30T10:00:00Z',
    reason: 'Backdoor found in evaluation',
    versionId: 'v-1',
    ...partial,
  };
}

function page(items: RejectedArtifact[], totalCount = items.length) {
  return { items, totalCount, offset: 0, limit: 25 } as Page<RejectedArtifact>;
}

/** Serves the log; records every query string it was asked with. */
function serve(
  answer: (params: URLSearchParams) => Response | Page<RejectedArtifact>,
) {
  const seen: URLSearchParams[] = [];
  server.use(
    http.get(`${API_BASE}/rejected-artifacts`, ({ request }) => {
      const params = new URL(request.url).searchParams;
      seen.push(params);
      const result = answer(params);
      return result instanceof Response ? result : HttpResponse.json(result);
    }),
  );
  return seen;
}

describe('the rejected-artifact log', () => {
  it('lists the rejected digests with entity, rules, who rejected and why', async () => {
    serve(() => page([rejected()]));
    await renderWithApis(<RejectedArtifactLog />);
    const row = await screen.findByTestId('ml-governance-rejected-artifact');
    expect(within(row).getByTitle(DIGEST)).toBeInTheDocument();
    expect(within(row).getByText('fraud-model')).toBeInTheDocument();
    expect(
      within(row).getByText('PICKLE-GLOBAL-EXEC, INTAKE-MOVING-REFERENCE'),
    ).toBeInTheDocument();
    expect(within(row).getByText('user:default/bob')).toBeInTheDocument();
    expect(
      within(row).getByText('Backdoor found in evaluation'),
    ).toBeInTheDocument();
  });

  it('searches on the server and exports what the search shows', async () => {
    const seen = serve(params =>
      params.get('q') === 'fraud' ? page([rejected()]) : page([]),
    );
    await renderWithApis(<RejectedArtifactLog />);
    expect(
      await screen.findByText('No rejected artifacts'),
    ).toBeInTheDocument();
    await userEvent.type(
      screen.getByRole('textbox', { name: /Search digest/ }),
      'fraud',
    );
    expect(
      await screen.findByTestId('ml-governance-rejected-artifact'),
    ).toBeInTheDocument();
    // Debounced: the keystrokes before the pause were not each sent.
    expect(seen.map(p => p.get('q'))).toEqual([null, 'fraud']);
    expect(seen[1].get('offset')).toBe('0');
    await waitFor(() =>
      expect(screen.getByTestId('ml-governance-rejected-csv')).toHaveAttribute(
        'href',
        `${API_BASE}/rejected-artifacts/export?format=csv&q=fraud`,
      ),
    );
    expect(screen.getByTestId('ml-governance-rejected-json')).toHaveAttribute(
      'href',
      `${API_BASE}/rejected-artifacts/export?format=json&q=fraud`,
    );
  });

  it('pages through the log with offsets', async () => {
    const seen = serve(params =>
      page([rejected({ versionId: `v-${params.get('offset')}` })], 60),
    );
    await renderWithApis(<RejectedArtifactLog />);
    await screen.findByText('1-25 of 60');
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await screen.findByText('26-50 of 60');
    expect(seen.map(p => p.get('offset'))).toEqual(['0', '25']);
  });

  it('says which permission is missing on 403, and shows other errors', async () => {
    serve(() =>
      HttpResponse.json(
        { error: { name: 'NotAllowedError', message: 'denied' } },
        { status: 403 },
      ),
    );
    const first = await renderWithApis(<RejectedArtifactLog />);
    expect(
      await screen.findByText(/needs the ml-governance.report.read permission/),
    ).toBeInTheDocument();
    first.unmount();
    serve(() =>
      HttpResponse.json(
        { error: { name: 'Error', message: 'log store down' } },
        { status: 500 },
      ),
    );
    await renderWithApis(<RejectedArtifactLog />);
    expect(
      await screen.findByText(/Could not load the rejected-artifact log/),
    ).toBeInTheDocument();
  });

  it('shows hostile text inert: bidi overrides and control characters are marked, long text wraps', async () => {
    const reason = `ok\u202Egnp.exe\u0000${'A'.repeat(5000)}`;
    serve(() =>
      page([rejected({ reason, rejectedBy: 'user:default/\u200Feve' })]),
    );
    await renderWithApis(<RejectedArtifactLog />);
    const row = await screen.findByTestId('ml-governance-rejected-artifact');
    // eslint-disable-next-line no-control-regex -- the characters that must be gone
    expect(row.textContent).not.toMatch(/[\u202E\u200F\u0000]/);
    expect(within(row).getByText(displayText(reason))).toHaveStyle({
      overflowWrap: 'anywhere',
    });
    expect(displayText(reason).startsWith('ok\uFFFDgnp.exe\uFFFD')).toBe(true);
  });

  it('is a tab of the approvals page', async () => {
    serve(() => page([rejected()]));
    server.use(
      http.get(`${API_BASE}/acceptances`, () => HttpResponse.json([])),
    );
    await renderWithApis(<ApprovalsPage />, {
      userEntityRef: 'user:default/bob',
    });
    await userEvent.click(
      await screen.findByRole('tab', { name: 'Rejected artifacts' }),
    );
    expect(
      await screen.findByTestId('ml-governance-rejected-artifact'),
    ).toBeInTheDocument();
  });
});
