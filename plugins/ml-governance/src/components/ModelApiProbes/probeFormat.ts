import {
  MODEL_API_ALERT_KINDS,
  ModelApiAlert,
} from '@ml-governance/plugin-ml-governance-common';
import type { Translate } from '../common/labels';
import type { ProbeMeasure } from './probeChartGeometry';

/** The chart title of each measure. */
export function measureLabel(t: Translate, measure: ProbeMeasure): string {
  return t(
    `modelApiProbes.measures.${measure === 'latencyMs' ? 'latency' : measure}`,
  );
}

/** A measure's value as a reader expects it: whole milliseconds, shares as percentages. */
export function formatMeasure(
  t: Translate,
  measure: ProbeMeasure,
  value: number | undefined,
): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  if (measure === 'latencyMs')
    return t('modelApiProbes.milliseconds', {
      value: Math.round(value).toLocaleString(),
    });
  return value.toLocaleString(undefined, {
    style: 'percent',
    maximumFractionDigits: 1,
  });
}

/** An alert kind in words; a kind this version of the UI does not know is still shown, as an alert. */
export function alertKindLabel(t: Translate, kind: string): string {
  return (MODEL_API_ALERT_KINDS as readonly string[]).includes(kind)
    ? t(`modelApiProbes.alertKinds.${kind as ModelApiAlert['kind']}`)
    : t('modelApiProbes.alertKinds.other');
}

/** The alert kinds of a run, in words, once each. */
export function alertKindsText(t: Translate, alerts: ModelApiAlert[]): string {
  return [...new Set(alerts.map(alert => alertKindLabel(t, alert.kind)))].join(
    ', ',
  );
}
