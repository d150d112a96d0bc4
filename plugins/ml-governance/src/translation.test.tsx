import { mockApis } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { MlGovernanceCard } from './components/EntityCard/MlGovernanceCard';
import { modelEntity, summary } from './__testUtils__/fixtures';
import {
  API_BASE,
  RenderOptions,
  renderWithApis,
} from './__testUtils__/renderWithApis';
import { setupMswServer } from './__testUtils__/server';
import { mlGovernanceTranslationRef } from './translation';
import { mlGovernanceTranslationRef as alphaExport } from './alpha';

const server = setupMswServer();
const SUMMARY_URL = `${API_BASE}/entities/resource/default/fraud-model/summary`;

describe('mlGovernanceTranslationRef', () => {
  it('is the plugin.ml-governance ref apps override, exported from /alpha', () => {
    expect(alphaExport).toBe(mlGovernanceTranslationRef);
    expect(mlGovernanceTranslationRef.id).toBe('plugin.ml-governance');
  });

  it('interpolates {{name}} values in the default English messages', () => {
    const { t } = mockApis
      .translation()
      .getTranslation(mlGovernanceTranslationRef) as any;
    expect(t('reports.generated', { period: '2026-Q3' })).toBe(
      'Report 2026-Q3 generated.',
    );
    expect(t('entityTab.manualTrigger', { who: 'alice' })).toBe(
      'Manual (alice)',
    );
  });

  it('renders an app-overridden message instead of the English default', async () => {
    server.use(http.get(SUMMARY_URL, () => HttpResponse.json(summary())));
    await renderWithApis(<MlGovernanceCard />, {
      entity: modelEntity,
      translations: {
        'card.releaseDecision': 'Freigabeentscheidung',
        'card.viewFindings': 'Befunde und Verlauf ansehen',
      },
    });

    expect(await screen.findByText('Freigabeentscheidung')).toBeInTheDocument();
    expect(screen.queryByText('Release decision')).not.toBeInTheDocument();
    expect(screen.getByText('Befunde und Verlauf ansehen')).toBeInTheDocument();
    // messages not overridden keep their English default
    expect(screen.getByText('Open findings')).toBeInTheDocument();
  });

  it('rejects unknown message keys at compile time (the ref is typed)', () => {
    const overrides: RenderOptions = {
      translations: {
        'findings.details': 'Details',
        // @ts-expect-error -- not a message of mlGovernanceTranslationRef
        'findings.noSuchMessage': 'x',
      },
    };
    expect(overrides.translations).toBeDefined();
  });
});
