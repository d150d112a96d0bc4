import type { Severity } from '@ml-governance/plugin-ml-governance-common';

/** Background colours with white text at ≥ 4.5:1 contrast (info uses dark text on grey). */
export const SEVERITY_COLOURS: Record<
  Severity,
  { background: string; text: string }
> = {
  critical: { background: '#7f0000', text: '#ffffff' },
  high: { background: '#c62828', text: '#ffffff' },
  medium: { background: '#b45309', text: '#ffffff' },
  low: { background: '#1f5fa8', text: '#ffffff' },
  info: { background: '#e0e0e0', text: '#212121' },
};
