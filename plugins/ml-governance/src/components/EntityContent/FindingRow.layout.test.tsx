import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
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

// The findings table once squeezed "Request acceptance" into a column one letter wide. Layout itself
// is measured in Chromium (test/e2e); here: the row's action buttons and severity chips never wrap.
describe('findings row layout', () => {
  it('keeps the action buttons and the severity chip on one line', async () => {
    server.use(
      http.get(`${ENTITY_URL}/summary`, () => HttpResponse.json(summary())),
      http.get(`${ENTITY_URL}/scans`, () => HttpResponse.json([])),
      http.get(`${ENTITY_URL}/acceptances`, () => HttpResponse.json([])),
      http.get(`${ENTITY_URL}/findings`, () =>
        HttpResponse.json(findingsPage([finding(0)])),
      ),
    );
    await renderWithApis(<MlGovernanceContent />, { entity: modelEntity });

    const request = await screen.findByTestId(
      'ml-governance-request-acceptance',
    );
    expect(getComputedStyle(request).whiteSpace).toBe('nowrap');
    const details = screen.getByRole('button', { name: 'Details' });
    expect(getComputedStyle(details).whiteSpace).toBe('nowrap');
    const [row] = screen.getAllByTestId('ml-governance-finding-row');
    const chip = [...row.querySelectorAll('span')].find(
      span => span.textContent === 'Critical',
    )!;
    expect(getComputedStyle(chip).whiteSpace).toBe('nowrap');
  });
});
