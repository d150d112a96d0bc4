import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import type { ScanStatus as Status } from '@ml-governance/plugin-ml-governance-common';
import { scanStatusLabel } from './labels';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** A scan run's status with its icon. */
export function ScanStatus(props: { status: Status }) {
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const label = scanStatusLabel(t, props.status);
  switch (props.status) {
    case 'succeeded':
      return <StatusOK>{label}</StatusOK>;
    case 'failed':
      return <StatusError>{label}</StatusError>;
    case 'running':
      return <StatusRunning>{label}</StatusRunning>;
    default:
      return <StatusPending>{label}</StatusPending>;
  }
}
