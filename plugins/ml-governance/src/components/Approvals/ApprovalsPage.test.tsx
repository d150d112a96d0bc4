import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { acceptance } from '../../__testUtils__/fixtures';
import { API_BASE, renderWithApis } from '../../__testUtils__/renderWithApis';
import { setupMswServer } from '../../__testUtils__/server';
import { ApprovalsPage } from './ApprovalsPage';

const server = setupMswServer();
const APPROVER = 'user:default/approver';

const fromOwner = acceptance({
  id: 'acc-1',
  requestedBy: 'user:default/owner',
});
const fromApprover = acceptance({
  id: 'acc-2',
  fingerprint: undefined,
  ruleId: 'KERAS-LAMBDA',
  requestedBy: APPROVER,
  justification: 'My own request: the approver must not be able to approve it.',
});

/** Serves the queue; returns the views requested, in order. */
function serveQueue(toDecide = [fromOwner, fromApprover]) {
  const views: string[] = [];
  server.use(
    http.get(`${API_BASE}/acceptances`, ({ request }) => {
      const view = new URL(request.url).searchParams.get('view') ?? '';
      views.push(view);
      return HttpResponse.json(view === 'mine' ? [fromApprover] : toDecide);
    }),
  );
  return views;
}

function itemFor(text: RegExp) {
  return screen
    .getAllByTestId('ml-governance-acceptance-item')
    .find(item => text.test(item.textContent ?? ''))!;
}

describe('ApprovalsPage (approver)', () => {
  it('offers decide buttons on other people’s requests only', async () => {
    serveQueue();
    await renderWithApis(<ApprovalsPage />, { userEntityRef: APPROVER });

    await screen.findAllByTestId('ml-governance-acceptance-item');
    const others = itemFor(/Legacy scorer/);
    const own = itemFor(/My own request/);
    await waitFor(() =>
      expect(
        within(others).getByRole('button', { name: 'Approve' }),
      ).toBeInTheDocument(),
    );
    expect(
      within(others).getByRole('button', { name: 'Reject' }),
    ).toBeInTheDocument();
    expect(
      within(own).queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
    expect(
      within(own).queryByRole('button', { name: 'Reject' }),
    ).not.toBeInTheDocument();
    // what an approver needs to judge the request
    expect(
      within(others).getByRole('link', { name: 'fraud-model' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/fraud-model/ml-governance',
    );
    expect(
      within(others).getByText('Move to safetensors with the Q1 retrain.', {
        exact: false,
      }),
    ).toBeInTheDocument();
    expect(within(others).getByText(/Requested by owner/)).toBeInTheDocument();
  });

  it('requires a comment, then records the approval at the revision seen', async () => {
    const views = serveQueue([fromOwner]);
    let body: unknown;
    server.use(
      http.post(
        `${API_BASE}/acceptances/acc-1/decision`,
        async ({ request }) => {
          body = await request.json();
          return HttpResponse.json({
            ...fromOwner,
            status: 'active',
            revision: 2,
          });
        },
      ),
    );
    await renderWithApis(<ApprovalsPage />, { userEntityRef: APPROVER });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Approve' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Approve risk acceptance',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Confirm approval' }),
    );
    expect(
      within(dialog).getByText(
        /A comment of at least 5 characters is required/,
      ),
    ).toBeInTheDocument();
    expect(body).toBeUndefined();

    fireEvent.change(within(dialog).getByLabelText(/Comment/), {
      target: { value: 'OK until the Q1 retrain.' },
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Confirm approval' }),
    );

    await waitFor(() =>
      expect(body).toEqual({
        decision: 'approve',
        comment: 'OK until the Q1 retrain.',
        revision: 1,
      }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    await waitFor(() =>
      expect(
        views.filter(v => v === 'to-decide').length,
      ).toBeGreaterThanOrEqual(2),
    );
  });

  it('explains a conflict and refreshes the queue when someone decided first', async () => {
    const views = serveQueue([fromOwner]);
    server.use(
      http.post(`${API_BASE}/acceptances/acc-1/decision`, () =>
        HttpResponse.json(
          {
            error: { name: 'ConflictError', message: 'revision 1 is stale' },
            request: {},
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );
    await renderWithApis(<ApprovalsPage />, { userEntityRef: APPROVER });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Reject' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Reject risk acceptance',
    });
    fireEvent.change(within(dialog).getByLabelText(/Comment/), {
      target: { value: 'Pin the hash first.' },
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Confirm rejection' }),
    );

    expect(
      await screen.findByTestId('ml-governance-conflict'),
    ).toHaveTextContent(/changed while you were reviewing it/);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(views.filter(v => v === 'to-decide').length).toBeGreaterThanOrEqual(
      2,
    );
  });

  it('lists my own requests with their history and no decide buttons', async () => {
    serveQueue();
    await renderWithApis(<ApprovalsPage />, { userEntityRef: APPROVER });

    await userEvent.click(
      await screen.findByRole('tab', { name: 'My requests' }),
    );
    const item = await screen.findByTestId('ml-governance-acceptance-item');
    expect(item).toHaveTextContent('Every KERAS-LAMBDA finding');
    expect(within(item).getByText('Requested')).toBeInTheDocument();
    expect(
      within(item).queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
  });

  it('says when there is nothing to decide', async () => {
    serveQueue([]);
    await renderWithApis(<ApprovalsPage />, { userEntityRef: APPROVER });
    expect(await screen.findByText('Nothing to decide')).toBeInTheDocument();
  });
});
