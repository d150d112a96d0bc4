import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import {
  acceptance,
  finding,
  findingsPage,
  modelEntity,
  summary,
} from '../../__testUtils__/fixtures';
import { API_BASE, renderWithApis } from '../../__testUtils__/renderWithApis';
import { setupMswServer } from '../../__testUtils__/server';
import { MlGovernanceContent } from './MlGovernanceContent';

const server = setupMswServer();
const ENTITY_URL = `${API_BASE}/entities/resource/default/fraud-model`;

/** Serves the entity endpoints; returns the findings queries the UI sent, in order. */
function serveEntity(
  options: {
    totalCount?: number;
    acceptances?: unknown[];
    scanCalls?: string[];
    /** Full pages with keyset cursors, as the backend answers. */
    cursors?: boolean;
  } = {},
) {
  const findingQueries: URLSearchParams[] = [];
  server.use(
    http.get(`${ENTITY_URL}/summary`, () => HttpResponse.json(summary())),
    http.get(`${ENTITY_URL}/scans`, () =>
      HttpResponse.json([summary().lastScan]),
    ),
    http.post(`${ENTITY_URL}/scans`, () => {
      options.scanCalls?.push('POST');
      return HttpResponse.json({
        ...summary().lastScan,
        id: 'scan-2',
        status: 'queued',
        trigger: 'manual',
      });
    }),
    http.get(`${ENTITY_URL}/acceptances`, () =>
      HttpResponse.json(options.acceptances ?? []),
    ),
    http.get(`${ENTITY_URL}/provenance`, () =>
      HttpResponse.json({
        entityRef: 'resource:default/fraud-model',
        images: [],
        modelSignatures: [],
        pins: [],
      }),
    ),
    http.get(`${ENTITY_URL}/versions`, () => HttpResponse.json([])),
    http.get(`${ENTITY_URL}/findings`, ({ request }) => {
      const params = new URL(request.url).searchParams;
      findingQueries.push(params);
      const cursor = params.get('cursor');
      const offset = cursor
        ? Number(cursor.slice(1))
        : Number(params.get('offset') ?? 0);
      const limit = Number(params.get('limit') ?? 25);
      const total = options.totalCount ?? 3;
      if (options.cursors) {
        const items = Array.from(
          { length: Math.max(0, Math.min(limit, total - offset)) },
          (_, i) => finding(offset + i),
        );
        const more = offset + items.length < total;
        return HttpResponse.json({
          ...findingsPage(items, total, cursor ? 0 : offset, limit),
          ...(more ? { nextCursor: `c${offset + items.length}` } : {}),
        });
      }
      // A few rows are enough to check the UI; totalCount drives the pagination.
      const count = Math.max(0, Math.min(limit, total - offset, 3));
      const items = Array.from({ length: count }, (_, i) =>
        finding(offset + i),
      );
      return HttpResponse.json(findingsPage(items, total, offset, limit));
    }),
  );
  return findingQueries;
}

describe('MlGovernanceContent', () => {
  it('asks the server for the first page of open findings by severity and shows their evidence', async () => {
    const queries = serveEntity();
    await renderWithApis(<MlGovernanceContent />, { entity: modelEntity });

    expect(await screen.findAllByText('PICKLE-GLOBAL')).toHaveLength(3);
    expect(queries[0].get('status')).toBe('open');
    expect(queries[0].get('offset')).toBe('0');
    expect(queries[0].get('limit')).toBe('25');
    expect(queries[0].get('orderBy')).toBe('severity');
    // evidence: file › archive member @ offset, opcode and symbol
    expect(
      screen.getByText('models/fraud.pt › archive/data.pkl @ byte 100'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('STACK_GLOBAL')[0]).toBeInTheDocument();
    expect(screen.getAllByText('CWE-502')[0]).toBeInTheDocument();
    expect(screen.getAllByText('OWASP LLM03:2025')[0]).toBeInTheDocument();
  });

  it('filters by severity, status, rule and search on the server, back on the first page', async () => {
    const queries = serveEntity({ totalCount: 60 });
    await renderWithApis(<MlGovernanceContent />, { entity: modelEntity });
    await screen.findAllByText('PICKLE-GLOBAL');

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(queries.at(-1)?.get('offset')).toBe('25'));

    await userEvent.click(screen.getByRole('button', { name: 'Critical' }));
    await waitFor(() =>
      expect(queries.at(-1)?.get('severity')).toBe('critical'),
    );
    expect(queries.at(-1)?.get('offset')).toBe('0');

    fireEvent.change(screen.getByLabelText('Rule ID'), {
      target: { value: 'PICKLE-GLOBAL' },
    });
    fireEvent.change(screen.getByLabelText('Search findings'), {
      target: { value: 'os.system' },
    });
    await waitFor(() => expect(queries.at(-1)?.get('q')).toBe('os.system'));
    expect(queries.at(-1)?.get('ruleId')).toBe('PICKLE-GLOBAL');

    // MUI v4 selects open on mouse down
    const filters = screen.getByTestId('ml-governance-findings-filters');
    fireEvent.mouseDown(within(filters).getAllByRole('button')[0]);
    fireEvent.click(await screen.findByText('All', { selector: 'li' }));
    await waitFor(() => expect(queries.at(-1)?.get('status')).toBeNull());
  });

  it('asks for the next page by the cursor the previous page returned, and by offset otherwise', async () => {
    const queries = serveEntity({ totalCount: 60, cursors: true });
    await renderWithApis(<MlGovernanceContent />, { entity: modelEntity });
    await screen.findAllByText('PICKLE-GLOBAL');
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(queries.at(-1)?.get('cursor')).toBe('c25'));
    expect(queries.at(-1)?.get('offset')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(queries.at(-1)?.get('cursor')).toBe('c50'));
    // Back to a page whose predecessor's cursor is known (page 1 has none): by offset.
    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    await waitFor(() => expect(queries.at(-1)?.get('cursor')).toBe('c25'));
    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    await waitFor(() => expect(queries.at(-1)?.get('offset')).toBe('0'));
    expect(queries.at(-1)?.get('cursor')).toBeNull();
  });

  it('falls back to the offset when the backend refuses a cursor', async () => {
    const queries = serveEntity({ totalCount: 60 });
    // Pages with cursors, every one of which is then refused (as after a backend upgrade).
    server.use(
      http.get(`${ENTITY_URL}/findings`, ({ request }) => {
        const params = new URL(request.url).searchParams;
        queries.push(params);
        if (params.get('cursor'))
          return HttpResponse.json(
            { error: { name: 'InputError', message: 'query.cursor: stale' } },
            { status: 400 },
          );
        const offset = Number(params.get('offset') ?? 0);
        const items = Array.from({ length: 25 }, (_, i) => finding(offset + i));
        return HttpResponse.json({
          ...findingsPage(items, 60, offset, 25),
          nextCursor: `c${offset + 25}`,
        });
      }),
    );
    await renderWithApis(<MlGovernanceContent />, { entity: modelEntity });
    await screen.findAllByText('PICKLE-GLOBAL');
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(queries.at(-1)?.get('offset')).toBe('25'));
    expect(queries.at(-2)?.get('cursor')).toBe('c25');
    expect(screen.queryByText(/query.cursor/)).toBeNull();
  });

  it('sorts on the server when a column header is clicked, flipping on a second click', async () => {
    const queries = serveEntity({ totalCount: 60 });
    await renderWithApis(<MlGovernanceContent />, { entity: modelEntity });
    await screen.findAllByText('PICKLE-GLOBAL');
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(queries.at(-1)?.get('offset')).toBe('25'));

    await userEvent.click(screen.getByRole('button', { name: 'Rule' }));
    await waitFor(() => expect(queries.at(-1)?.get('orderBy')).toBe('ruleId'));
    expect(queries.at(-1)?.get('order')).toBe('asc');
    expect(queries.at(-1)?.get('offset')).toBe('0');

    await userEvent.click(screen.getByRole('button', { name: 'Rule' }));
    await waitFor(() => expect(queries.at(-1)?.get('order')).toBe('desc'));

    await userEvent.click(screen.getByRole('button', { name: 'last seen' }));
    await waitFor(() =>
      expect(queries.at(-1)?.get('orderBy')).toBe('lastSeenAt'),
    );
    expect(queries.at(-1)?.get('order')).toBe('desc');
  });

  it('reproduces filters, sorting and page from the link it was opened with', async () => {
    const queries = serveEntity({ totalCount: 200 });
    await renderWithApis(<MlGovernanceContent />, {
      entity: modelEntity,
      routeEntries: [
        '/?status=all&severity=high,critical,bogus&rule=PICKLE-GLOBAL&q=os.system&page=2&size=50&sort=path&order=desc',
      ],
    });
    await screen.findAllByText('PICKLE-GLOBAL');
    const first = queries[0];
    expect(first.get('status')).toBeNull();
    expect(first.get('severity')).toBe('high,critical');
    expect(first.get('ruleId')).toBe('PICKLE-GLOBAL');
    expect(first.get('q')).toBe('os.system');
    expect(first.get('offset')).toBe('100');
    expect(first.get('limit')).toBe('50');
    expect(first.get('orderBy')).toBe('path');
    expect(first.get('order')).toBe('desc');
    expect(screen.getByLabelText('Search findings')).toHaveValue('os.system');
  });

  it('opens the detail panel with message, fix, docs link and the retest command', async () => {
    serveEntity({ totalCount: 1 });
    await renderWithApis(<MlGovernanceContent />, { entity: modelEntity });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Details' }),
    );
    const panel = await screen.findByRole('dialog', { name: /PICKLE-GLOBAL/ });
    expect(
      within(panel).getByText(/os\.system is called when the file is loaded/),
    ).toBeInTheDocument();
    expect(
      within(panel).getByText('Re-export the weights as safetensors.'),
    ).toBeInTheDocument();
    expect(
      within(panel).getByRole('link', { name: /documentation/ }),
    ).toHaveAttribute('href', 'https://example.test/docs/rules#pickle-global');
    expect(
      within(panel).getByText('npx mlgov scan models/fraud.pt'),
    ).toBeInTheDocument();
    expect(
      within(panel).getByRole('button', { name: 'Copy retest command' }),
    ).toBeInTheDocument();
    expect(
      within(panel).getByRole('button', {
        name: /request acceptance for every PICKLE-GLOBAL finding/i,
      }),
    ).toBeInTheDocument();

    await userEvent.click(
      within(panel).getByRole('button', { name: 'Close details' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('marks findings already submitted for review instead of offering a new request', async () => {
    serveEntity({
      totalCount: 2,
      acceptances: [acceptance({ fingerprint: 'fp-1' })],
    });
    await renderWithApis(<MlGovernanceContent />, { entity: modelEntity });

    expect(
      await screen.findByText('acceptance pending review'),
    ).toBeInTheDocument();
    expect(
      screen.getAllByRole('button', { name: 'Request acceptance' }),
    ).toHaveLength(1);
    // the entity's acceptances are listed with their status
    expect(screen.getByText('Pending review')).toBeInTheDocument();
  });

  it('hides request and rescan buttons from users without those permissions', async () => {
    // Another entity: usePermission caches answers per permission and resource for the session.
    const restricted = {
      ...modelEntity,
      metadata: { ...modelEntity.metadata, name: 'restricted-model' },
    };
    const queries: URLSearchParams[] = [];
    const restrictedUrl = `${API_BASE}/entities/resource/default/restricted-model`;
    server.use(
      http.get(`${restrictedUrl}/summary`, () => HttpResponse.json(summary())),
      http.get(`${restrictedUrl}/scans`, () => HttpResponse.json([])),
      http.get(`${restrictedUrl}/acceptances`, () => HttpResponse.json([])),
      http.get(`${restrictedUrl}/versions`, () => HttpResponse.json([])),
      http.get(`${restrictedUrl}/findings`, ({ request }) => {
        queries.push(new URL(request.url).searchParams);
        return HttpResponse.json(findingsPage([finding(0), finding(1)]));
      }),
    );
    await renderWithApis(<MlGovernanceContent />, {
      entity: restricted,
      allow: ['ml-governance.finding.read'],
    });

    await screen.findAllByText('PICKLE-GLOBAL');
    expect(
      screen.queryByRole('button', { name: 'Request acceptance' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Rescan' }),
    ).not.toBeInTheDocument();
  });

  it('queues a rescan for users allowed to scan', async () => {
    const scanCalls: string[] = [];
    serveEntity({ scanCalls });
    await renderWithApis(<MlGovernanceContent />, { entity: modelEntity });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Rescan' }),
    );
    await waitFor(() => expect(scanCalls).toEqual(['POST']));
  });

  it('lets an approver revoke an active acceptance with a comment and the revision they saw', async () => {
    serveEntity({
      acceptances: [acceptance({ status: 'active', revision: 3 })],
    });
    const revocations: unknown[] = [];
    server.use(
      http.post(`${API_BASE}/acceptances/acc-1/revoke`, async ({ request }) => {
        revocations.push(await request.json());
        return HttpResponse.json(
          acceptance({ status: 'revoked', revision: 4 }),
        );
      }),
    );
    await renderWithApis(<MlGovernanceContent />, { entity: modelEntity });

    // Expand the acceptance (its summary names the finding it waives).
    await userEvent.click(
      await screen.findByRole('button', { name: /Finding fp-1/ }),
    );
    await userEvent.click(await screen.findByTestId('ml-governance-revoke'));
    const dialog = await screen.findByRole('dialog', {
      name: 'Revoke risk acceptance',
    });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Comment/ }),
      'Payload confirmed; stop now.',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Confirm revocation' }),
    );

    await waitFor(() =>
      expect(revocations).toEqual([
        { comment: 'Payload confirmed; stop now.', revision: 3 },
      ]),
    );
  });
});
