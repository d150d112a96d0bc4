import { screen } from '@testing-library/react';
import type { ScanRun } from '@ml-governance/plugin-ml-governance-common';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { summary } from '../../__testUtils__/fixtures';
import { ScanHistoryCard } from './ScanHistoryCard';

const run = (partial: Partial<ScanRun>): ScanRun => ({
  ...summary().lastScan!,
  ...partial,
});

describe('ScanHistoryCard', () => {
  it('names each target as the annotation wrote it, falling back to the redacted resolved target on older runs', async () => {
    await renderWithApis(
      <ScanHistoryCard
        loading={false}
        scans={[
          run({
            id: 'new',
            targets: [
              {
                target: 'file:…/foo.pt',
                declared: 'file:./models/foo.pt',
                status: 'scanned',
                version: 'a'.repeat(64),
                filesScanned: 1,
                bytesRead: 10,
              },
              {
                target: 'hf://org/name',
                declared: 'hf://org/name',
                status: 'failed',
                error: 'HTTP 404',
                filesScanned: 0,
                bytesRead: 0,
              },
            ],
          }),
          run({
            id: 'old',
            targets: [
              {
                target: 'file:…/models',
                status: 'unchanged',
                filesScanned: 0,
                bytesRead: 0,
              },
            ],
          }),
        ]}
      />,
    );
    const targets = (
      await screen.findAllByTestId('ml-governance-scan-target')
    ).map(element => element.textContent);
    expect(targets).toEqual([
      `file:./models/foo.pt: scanned @ ${'a'.repeat(12)}…`,
      'hf://org/name: failed (HTTP 404)',
      'file:…/models: unchanged',
    ]);
  });
});
