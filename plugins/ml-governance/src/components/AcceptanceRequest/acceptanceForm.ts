import type {
  AcceptanceRequest,
  Finding,
} from '@ml-governance/plugin-ml-governance-common';
import { addDays, toDateInputValue } from '../common/format';
import type { Translate } from '../common/labels';

/**
 * Limits of a risk acceptance request. The backend enforces its own copy; these give the owner
 * the message before the round trip.
 */
export const ACCEPTANCE_LIMITS = {
  justificationMinLength: 30,
  justificationMaxLength: 4000,
  planMinLength: 10,
  defaultExpiryDays: 90,
  maxExpiryDays: 180,
} as const;

/** What the request waives: one finding (by fingerprint) or every finding of a rule on the entity. */
export type AcceptanceScope =
  | { kind: 'finding'; finding: Finding }
  | { kind: 'rule'; ruleId: string; title?: string };

/** A yes/no question the owner has not answered yet is `undefined`, not `false`. */
export interface AcceptanceForm {
  justification: string;
  inActiveUse?: boolean;
  saferAlternativeAvailable?: boolean;
  saferAlternativePlan: string;
  sourceTrustedAndHashPinned?: boolean;
  /** YYYY-MM-DD; the acceptance ends at 00:00 UTC that day. */
  expiresOn: string;
}

export type AcceptanceFormErrors = Partial<
  Record<keyof AcceptanceForm, string>
>;

export function initialAcceptanceForm(today: Date): AcceptanceForm {
  return {
    justification: '',
    saferAlternativePlan: '',
    expiresOn: toDateInputValue(
      addDays(today, ACCEPTANCE_LIMITS.defaultExpiryDays),
    ),
  };
}

export function expiryBounds(today: Date): { min: string; max: string } {
  return {
    min: toDateInputValue(addDays(today, 1)),
    max: toDateInputValue(addDays(today, ACCEPTANCE_LIMITS.maxExpiryDays)),
  };
}

/** Every problem with the form, keyed by field, in the app's language; an empty object means it can be sent. */
export function validateAcceptanceForm(
  t: Translate,
  form: AcceptanceForm,
  today: Date,
): AcceptanceFormErrors {
  const errors: AcceptanceFormErrors = {};
  const unanswered = t('labels.validation.unanswered');
  const justification = form.justification.trim();
  if (!justification) {
    errors.justification = t('labels.validation.justificationMissing');
  } else if (justification.length < ACCEPTANCE_LIMITS.justificationMinLength) {
    errors.justification = t('labels.validation.justificationTooShort', {
      min: String(ACCEPTANCE_LIMITS.justificationMinLength),
      written: String(justification.length),
    });
  } else if (justification.length > ACCEPTANCE_LIMITS.justificationMaxLength) {
    errors.justification = t('labels.validation.justificationTooLong', {
      max: String(ACCEPTANCE_LIMITS.justificationMaxLength),
    });
  }
  if (form.inActiveUse === undefined) errors.inActiveUse = unanswered;
  if (form.saferAlternativeAvailable === undefined)
    errors.saferAlternativeAvailable = unanswered;
  if (
    form.saferAlternativeAvailable &&
    form.saferAlternativePlan.trim().length < ACCEPTANCE_LIMITS.planMinLength
  ) {
    errors.saferAlternativePlan = t('labels.validation.planMissing');
  }
  if (form.sourceTrustedAndHashPinned === undefined)
    errors.sourceTrustedAndHashPinned = unanswered;

  const { min, max } = expiryBounds(today);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.expiresOn)) {
    errors.expiresOn = t('labels.validation.expiryMissing');
  } else if (form.expiresOn < min) {
    errors.expiresOn = t('labels.validation.expiryInPast');
  } else if (form.expiresOn > max) {
    errors.expiresOn = t('labels.validation.expiryTooLate', {
      days: String(ACCEPTANCE_LIMITS.maxExpiryDays),
      max,
    });
  }
  return errors;
}

/** The API payload of a valid form. */
export function toAcceptanceRequest(
  entityRef: string,
  scope: AcceptanceScope,
  form: AcceptanceForm,
): AcceptanceRequest {
  return {
    entityRef,
    ...(scope.kind === 'finding'
      ? { fingerprint: scope.finding.fingerprint }
      : { ruleId: scope.ruleId }),
    justification: form.justification.trim(),
    checklist: {
      inActiveUse: Boolean(form.inActiveUse),
      saferAlternativeAvailable: Boolean(form.saferAlternativeAvailable),
      ...(form.saferAlternativeAvailable
        ? { saferAlternativePlan: form.saferAlternativePlan.trim() }
        : {}),
      sourceTrustedAndHashPinned: Boolean(form.sourceTrustedAndHashPinned),
    },
    expiresAt: `${form.expiresOn}T00:00:00.000Z`,
  };
}
