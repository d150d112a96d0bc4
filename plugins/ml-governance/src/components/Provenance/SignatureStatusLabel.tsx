import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { SignatureStatus } from '@ml-governance/plugin-ml-governance-common';
import { mlGovernanceTranslationRef } from '../../translation';

/** A signature check's outcome with its icon: only `verified` is green. */
export function SignatureStatusLabel(props: { status: SignatureStatus }) {
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const label = t(`provenance.signatureStatus.${props.status}`);
  switch (props.status) {
    case 'verified':
      return <StatusOK>{label}</StatusOK>;
    case 'unchecked':
      return <StatusAborted>{label}</StatusAborted>;
    case 'missing':
      return <StatusWarning>{label}</StatusWarning>;
    default:
      return <StatusError>{label}</StatusError>;
  }
}
