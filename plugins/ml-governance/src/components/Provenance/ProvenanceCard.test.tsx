import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import type { EntityProvenance } from '@ml-governance/plugin-ml-governance-common';
import { API_BASE, renderWithApis } from '../../__testUtils__/renderWithApis';
import { setupMswServer } from '../../__testUtils__/server';
import { ProvenanceCard } from './ProvenanceCard';

const server = setupMswServer();
const REF = 'component:default/fraud-serving';
const URL = `${API_BASE}/entities/component/default/fraud-serving/provenance`;
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const KEY = `sha256:${'cd'.repeat(32)}`;

const PROVENANCE: EntityProvenance = {
  entityRef: REF,
  lastScannedAt: '2026-12-03T06:00:00.000Z',
  images: [
    {
      reference: 'oci://registry.internal/ml/serving:1.0',
      digest: DIGEST,
      status: 'scanned',
      signature: { status: 'verified', signer: { keyFingerprint: KEY } },
      problems: [],
    },
    {
      reference: 'oci://registry.internal/ml/sidecar:2.0',
      status: 'failed',
      error: 'registry answered 404',
      signature: { status: 'unchecked' },
      problems: [],
    },
  ],
  modelSignatures: [
    {
      target: 'file:…/model',
      path: 'model.sig',
      status: 'mismatch',
      signedFiles: 53,
      files: ['config.json', 'model.safetensors'],
      signer: {
        subject: 'release@acme.example',
        issuer: 'https://accounts.acme.example',
        signingTime: '2026-12-01T10:00:00.000Z',
        timeSource: 'transparency-log',
      },
      problems: [
        {
          findingId: 'f-1',
          ruleId: 'MODEL-SIGNATURE-MISMATCH',
          path: 'model.safetensors',
          message:
            'model.safetensors has SHA-256 00…, but model.sig signed 11…',
        },
      ],
    },
  ],
  pins: [
    { path: 'config.json', expected: 'e'.repeat(64), status: 'matched' },
    {
      path: 'model.safetensors',
      expected: '1'.repeat(64),
      status: 'mismatch',
      actual: '0'.repeat(64),
    },
  ],
};

describe('ProvenanceCard', () => {
  it('shows the image digest the decision belongs to, who signed what, failures and pins', async () => {
    server.use(http.get(URL, () => HttpResponse.json(PROVENANCE)));
    await renderWithApis(<ProvenanceCard entityRef={REF} />);

    const card = await screen.findByTestId('ml-governance-provenance');
    expect(await within(card).findByText(DIGEST)).toBeInTheDocument();
    expect(within(card).getByText('Verified')).toBeInTheDocument();
    expect(within(card).getByText(KEY)).toBeInTheDocument();
    expect(
      within(card).getByText('Could not be read: registry answered 404'),
    ).toBeInTheDocument();
    expect(within(card).getByText('Not checked')).toBeInTheDocument();

    expect(
      within(card).getByText('Files differ from the signature'),
    ).toBeInTheDocument();
    expect(within(card).getByText('53 signed files')).toBeInTheDocument();
    expect(
      within(card).getByText('config.json, model.safetensors and 51 more'),
    ).toBeInTheDocument();
    expect(
      within(card).getByText(
        'release@acme.example (issuer https://accounts.acme.example)',
      ),
    ).toBeInTheDocument();
    expect(
      within(card).getByText(/^MODEL-SIGNATURE-MISMATCH: model\.safetensors/),
    ).toBeInTheDocument();

    expect(within(card).getByText('Matches')).toBeInTheDocument();
    expect(within(card).getByText('Differs')).toBeInTheDocument();
    expect(within(card).getByText('0'.repeat(64))).toBeInTheDocument();
  });

  it('says when nothing is recorded, and shows a load failure', async () => {
    server.use(
      http.get(URL, () =>
        HttpResponse.json({
          entityRef: REF,
          images: [],
          modelSignatures: [],
          pins: [],
        }),
      ),
    );
    const { unmount } = await renderWithApis(
      <ProvenanceCard entityRef={REF} />,
    );
    expect(
      await screen.findByText(
        'No image, model signature or sha256 pin recorded for this entity yet.',
      ),
    ).toBeInTheDocument();
    unmount();

    server.use(
      http.get(URL, () =>
        HttpResponse.json(
          { error: { name: 'NotAllowedError', message: 'denied' } },
          { status: 403 },
        ),
      ),
    );
    await renderWithApis(<ProvenanceCard entityRef={REF} />);
    expect(
      await screen.findByText(/Could not load the provenance/),
    ).toBeInTheDocument();
  });
});
