import { act, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { acceptance } from '../../__testUtils__/fixtures';
import { API_BASE, renderWithApis } from '../../__testUtils__/renderWithApis';
import { setupMswServer } from '../../__testUtils__/server';
import { ApprovalsPage } from './ApprovalsPage';

// A file of its own: usePermission caches each answer for the session (per permission).
const server = setupMswServer();

describe('ApprovalsPage (without the decide permission)', () => {
  it('shows the requests but no decide buttons', async () => {
    server.use(
      http.get(`${API_BASE}/acceptances`, () =>
        HttpResponse.json([acceptance()]),
      ),
    );
    const permissionLog: string[] = [];
    await renderWithApis(<ApprovalsPage />, {
      permissionLog,
      userEntityRef: 'user:default/someone',
      allow: ['ml-governance.finding.read', 'ml-governance.acceptance.request'],
    });

    const item = await screen.findByTestId('ml-governance-acceptance-item');
    await waitFor(() =>
      expect(permissionLog).toContain('ml-governance.acceptance.decide'),
    );
    await act(() => new Promise(resolve => setTimeout(resolve, 50))); // let the answer render
    expect(item).toHaveTextContent('Legacy scorer still loads this pickle');
    expect(
      within(item).queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
    expect(
      within(item).queryByRole('button', { name: 'Reject' }),
    ).not.toBeInTheDocument();
  });
});
