import type { OsvRecord } from '../osvRecord';

/** Hand-made OSV records shaped like the PyPI export's. */
export const TORCH_RCE: OsvRecord = {
  id: 'GHSA-53q9-r3pm-6pq6',
  modified: '2025-04-18T15:30:00Z',
  summary: 'PyTorch: torch.load with weights_only=True leads to remote code execution',
  aliases: ['CVE-2025-32434', 'PYSEC-2025-41'],
  affected: [{ package: { ecosystem: 'PyPI', name: 'torch' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.6.0' }] }] }],
  database_specific: { severity: 'CRITICAL' },
};

export const TRANSFORMERS_LAST_AFFECTED: OsvRecord = {
  id: 'GHSA-xxxx-transformers',
  modified: '2024-11-02T10:00:00Z',
  summary: 'Deserialisation of untrusted data in Transformers',
  affected: [{ package: { ecosystem: 'PyPI', name: 'Transformers' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '4.30.0' }, { last_affected: '4.36.2' }] }] }],
  database_specific: { severity: 'MODERATE' },
};

export const MALICIOUS: OsvRecord = {
  id: 'MAL-2024-1234',
  modified: '2024-06-01T00:00:00Z',
  summary: 'Malicious code in huggingface-hubb (PyPI)',
  affected: [{ package: { ecosystem: 'PyPI', name: 'huggingface_hubb' }, versions: ['0.1', '0.2'] }],
};

export const WITHDRAWN: OsvRecord = {
  id: 'PYSEC-2020-1',
  modified: '2020-01-01T00:00:00Z',
  withdrawn: '2020-02-01T00:00:00Z',
  affected: [{ package: { ecosystem: 'PyPI', name: 'numpy' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }],
};
