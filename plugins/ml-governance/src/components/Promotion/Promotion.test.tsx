import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  ArtifactVersion,
  PendingPromotion,
} from '@ml-governance/plugin-ml-governance-common';
import { http, HttpResponse } from 'msw';
import { MODEL_REF } from '../../__testUtils__/fixtures';
import { API_BASE, renderWithApis } from '../../__testUtils__/renderWithApis';
import { setupMswServer } from '../../__testUtils__/server';
import { ApprovalsPage } from '../Approvals/ApprovalsPage';
import { versionActions } from './versionActions';
import { VersionsCard } from './VersionsCard';

const server = setupMswServer();
const OWNER_GROUP = 'group:default/fraud';
const ID = '3f2c1e9a-5b7d-4c1e-9f0a-1b2c3d4e5f60';

function version(partial: Partial<ArtifactVersion> = {}): ArtifactVersion {
  return {
    id: ID,
    entityRef: MODEL_REF,
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
    signOffs: [],
    history: [
      {
        id: 'h1',
        versionId: ID,
        revision: 1,
        action: 'recorded',
        actor: 'system:ml-governance',
        at: '2026-11-20T09:00:00Z',
      },
    ],
    ...partial,
  };
}

describe('versionActions', () => {
  const base = {
    ownershipEntityRefs: ['user:default/olga', OWNER_GROUP],
    owner: OWNER_GROUP,
    mayRequest: true,
    securityApprover: false,
  };

  it('offers the request on a current evaluated version not yet requested', () => {
    expect(
      versionActions(
        version({
          promotionRequestedAt: undefined,
          promotionRequestedBy: undefined,
        }),
        { ...base, userEntityRef: 'user:default/olga' },
      ),
    ).toEqual(['request', 'reject']);
    expect(
      versionActions(
        version({ promotionRequestedAt: undefined, current: false }),
        { ...base, userEntityRef: 'user:default/olga' },
      ),
    ).toEqual(['reject']);
  });

  it('never offers a sign-off to the requester or to someone who signed already', () => {
    const alice = { ...base, userEntityRef: 'user:default/alice' };
    expect(versionActions(version(), alice)).toEqual(['reject']);
    const dave = {
      ...base,
      userEntityRef: 'user:default/dave',
      securityApprover: true,
    };
    expect(versionActions(version(), dave)).toEqual([
      'security',
      'owner',
      'reject',
    ]);
    const signed = version({
      signOffs: [
        {
          kind: 'security',
          actor: 'user:default/dave',
          at: 'x',
          comment: 'ok',
        },
      ],
    });
    expect(versionActions(signed, dave)).toEqual(['reject']);
    expect(
      versionActions(signed, { ...base, userEntityRef: 'user:default/olga' }),
    ).toEqual(['owner', 'reject']);
    expect(versionActions(version({ stage: 'rejected' }), dave)).toEqual([]);
  });
});

describe('VersionsCard', () => {
  it('shows stage, sign-offs and audit trail, and signs off with the revision seen', async () => {
    const signOffs: unknown[] = [];
    server.use(
      http.get(
        `${API_BASE}/entities/resource/default/fraud-model/versions`,
        () => HttpResponse.json([version()]),
      ),
      http.post(`${API_BASE}/versions/${ID}/sign-offs`, async ({ request }) => {
        signOffs.push(await request.json());
        return HttpResponse.json(
          version({
            revision: 4,
            signOffs: [
              {
                kind: 'owner',
                actor: 'user:default/olga',
                at: '2026-11-21T11:00:00Z',
                comment: 'Evaluations pass',
              },
            ],
          }),
        );
      }),
    );
    await renderWithApis(
      <VersionsCard entityRef={MODEL_REF} owner={OWNER_GROUP} />,
      {
        userEntityRef: 'user:default/olga',
        ownershipEntityRefs: ['user:default/olga', OWNER_GROUP],
        allow: ['ml-governance.promotion.request'],
      },
    );
    const item = await screen.findByTestId('ml-governance-version');
    expect(
      within(item).getByTestId('ml-governance-version-stage'),
    ).toHaveAttribute('data-stage', 'evaluated');
    await userEvent.click(within(item).getByText(/files:a{64}/));
    expect(
      await screen.findByText(/Promotion requested by alice/),
    ).toBeInTheDocument();
    // An owner other than the requester: the owner sign-off (once the permission answers arrive);
    // not an approver: no security one.
    const ownerSignOff = await screen.findByRole('button', {
      name: 'Sign off (owner)',
    });
    expect(
      screen.queryByRole('button', { name: 'Sign off (security)' }),
    ).not.toBeInTheDocument();
    await userEvent.click(ownerSignOff);
    const dialog = await screen.findByRole('dialog', {
      name: 'Owner sign-off',
    });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Comment/ }),
      'Evaluations pass',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Submit' }),
    );
    await waitFor(() =>
      expect(signOffs).toEqual([
        { kind: 'owner', revision: 3, comment: 'Evaluations pass' },
      ]),
    );
  });

  it('reports a concurrent change instead of an error', async () => {
    server.use(
      http.get(
        `${API_BASE}/entities/resource/default/fraud-model/versions`,
        () => HttpResponse.json([version()]),
      ),
      http.post(`${API_BASE}/versions/${ID}/reject`, () =>
        HttpResponse.json(
          { error: { name: 'ConflictError', message: 'changed' } },
          { status: 409 },
        ),
      ),
    );
    await renderWithApis(
      <VersionsCard entityRef={MODEL_REF} owner={OWNER_GROUP} />,
      {
        userEntityRef: 'user:default/bob',
        allow: ['ml-governance.promotion.approve'],
      },
    );
    await userEvent.click(await screen.findByText(/files:a{64}/));
    // The buttons appear once the permission answers arrive (asynchronously).
    await userEvent.click(
      await screen.findByRole('button', { name: 'Reject' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Reject this version',
    });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Backdoor found in evaluation',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Submit' }),
    );
    expect(await screen.findByText(/The version changed/)).toBeInTheDocument();
  });
});

describe('the approvals inbox', () => {
  it('lists promotions the user can sign together with acceptances to decide', async () => {
    const pending: PendingPromotion = {
      ...version(),
      canSignOff: ['security'],
      canReject: true,
    };
    server.use(
      http.get(`${API_BASE}/approvals/inbox`, () =>
        HttpResponse.json({ promotions: [pending], acceptances: [] }),
      ),
      http.get(`${API_BASE}/acceptances`, () => HttpResponse.json([])),
    );
    await renderWithApis(<ApprovalsPage />, {
      userEntityRef: 'user:default/bob',
    });
    await userEvent.click(await screen.findByRole('tab', { name: 'Inbox' }));
    const inbox = await screen.findByTestId('ml-governance-approvals-inbox');
    expect(
      await within(inbox).findByRole('button', { name: 'Sign off (security)' }),
    ).toBeInTheDocument();
    expect(
      within(inbox).queryByRole('button', { name: 'Sign off (owner)' }),
    ).not.toBeInTheDocument();
    expect(
      within(inbox).getByText('Risk acceptances awaiting your decision'),
    ).toBeInTheDocument();
  });
});
