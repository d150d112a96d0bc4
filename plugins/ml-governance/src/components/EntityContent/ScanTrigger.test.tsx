import { screen } from '@testing-library/react';
import type { ScanRun } from '@ml-governance/plugin-ml-governance-common';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { ScanHistoryCard } from './ScanHistoryCard';

function run(partial: Partial<ScanRun>): ScanRun {
  return {
    id: 'scan-1',
    entityRef: 'resource:default/fraud-model',
    trigger: 'schedule',
    status: 'succeeded',
    startedAt: '2026-11-20T10:00:00Z',
    finishedAt: '2026-11-20T10:02:00Z',
    decision: 'PASS',
    targets: [],
    ...partial,
  };
}

describe('scan history trigger column', () => {
  it('shows a CI upload with its commit, uploader and run link, apart from scheduled and manual scans', async () => {
    await renderWithApis(
      <ScanHistoryCard
        loading={false}
        scans={[
          run({
            id: 'ci-1',
            trigger: 'ci',
            provenance: {
              commitSha: '0123456789abcdef0123456789abcdef01234567',
              runUrl: 'https://ci.example.test/runs/42',
              uploadedBy: 'user:default/ci-bot',
            },
          }),
          run({
            id: 'manual-1',
            trigger: 'manual',
            requestedBy: 'user:default/ana',
          }),
          run({ id: 'schedule-1' }),
        ]}
      />,
    );
    expect(await screen.findByText('CI upload')).toBeInTheDocument();
    expect(screen.getByText('commit 0123456')).toBeInTheDocument();
    expect(screen.getByText('by ci-bot')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /CI run/ })).toHaveAttribute(
      'href',
      'https://ci.example.test/runs/42',
    );
    expect(screen.getByText('Manual (ana)')).toBeInTheDocument();
    expect(screen.getByText('Scheduled')).toBeInTheDocument();
  });

  it('never links a run URL that is not http(s)', async () => {
    await renderWithApis(
      <ScanHistoryCard
        loading={false}
        scans={[
          run({
            trigger: 'ci',
            provenance: {
              // Assembled so no script URL literal sits in the source.
              runUrl: ['javascript', 'alert(1)'].join(':'),
              uploadedBy: 'user:default/ci-bot',
            },
          }),
        ]}
      />,
    );
    expect(await screen.findByText('CI upload')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /CI run/ })).toBeNull();
  });
});
