import { useApi } from '@backstage/frontend-plugin-api';
import type { RiskAcceptance } from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { mlGovernanceApiRef } from '../../api';
import { AcceptanceStatusChip } from '../common/AcceptanceStatusChip';
import { formatDate } from '../common/format';
import { FormDialogFooter } from '../common/FormDialogFooter';
import {
  ACCEPTANCE_LIMITS,
  AcceptanceForm,
  AcceptanceFormErrors,
  AcceptanceScope,
  expiryBounds,
  initialAcceptanceForm,
  toAcceptanceRequest,
  validateAcceptanceForm,
} from './acceptanceForm';
import { YesNoQuestion } from './YesNoQuestion';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

function describeScope(scope: AcceptanceScope): string {
  if (scope.kind === 'finding') {
    const { finding } = scope;
    return `${finding.ruleId} — ${finding.title} (${finding.location.path})`;
  }
  return `Every ${scope.ruleId} finding on this entity${
    scope.title ? ` — ${scope.title}` : ''
  }`;
}

/**
 * Asks for a time-boxed risk acceptance: justification, the checklist and an expiry. After sending it
 * shows the request's state (pending review) until closed.
 */
export function AcceptanceRequestDialog(props: {
  entityRef: string;
  scope: AcceptanceScope;
  onClose: () => void;
  onRequested: (acceptance: RiskAcceptance) => void;
}) {
  const { entityRef, scope, onClose, onRequested } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const api = useApi(mlGovernanceApiRef);
  const [today] = useState(() => new Date());
  const [form, setForm] = useState<AcceptanceForm>(() =>
    initialAcceptanceForm(today),
  );
  const [showErrors, setShowErrors] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<Error>();
  const [created, setCreated] = useState<RiskAcceptance>();

  const errors: AcceptanceFormErrors = showErrors
    ? validateAcceptanceForm(t, form, today)
    : {};
  const bounds = expiryBounds(today);
  const update = (patch: Partial<AcceptanceForm>) =>
    setForm(current => ({ ...current, ...patch }));

  const submit = async () => {
    setShowErrors(true);
    if (Object.keys(validateAcceptanceForm(t, form, today)).length > 0) return;
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      const acceptance = await api.requestAcceptance(
        toAcceptanceRequest(entityRef, scope, form),
      );
      setCreated(acceptance);
      onRequested(acceptance);
    } catch (error) {
      setSubmitError(error as Error);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open
      onClose={submitting ? undefined : onClose}
      aria-labelledby="ml-governance-request-title"
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id="ml-governance-request-title">
        {t('acceptance.dialogTitle')}
      </DialogTitle>
      {created ? (
        <>
          <DialogContent>
            <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={1}>
              <Typography variant="subtitle1">
                {t('acceptance.sent')}
              </Typography>
              <AcceptanceStatusChip status={created.status} />
            </Box>
            <DialogContentText>
              {t('acceptance.sentDescription', {
                date: formatDate(created.expiresAt),
              })}
            </DialogContentText>
          </DialogContent>
          <DialogActions>
            <Button
              onClick={onClose}
              color="primary"
              variant="contained"
              // eslint-disable-next-line jsx-a11y/no-autofocus -- the form that had focus is gone; keep focus in the dialog
              autoFocus
            >
              {t('common.close')}
            </Button>
          </DialogActions>
        </>
      ) : (
        <form
          noValidate
          onSubmit={event => {
            event.preventDefault();
            submit();
          }}
        >
          <DialogContent>
            <DialogContentText>{describeScope(scope)}</DialogContentText>
            <TextField
              id="ml-governance-justification"
              label={t('common.justification')}
              required
              // eslint-disable-next-line jsx-a11y/no-autofocus -- first field of a dialog takes focus (WAI-ARIA dialog pattern)
              autoFocus
              fullWidth
              multiline
              minRows={3}
              margin="dense"
              variant="outlined"
              value={form.justification}
              onChange={event => update({ justification: event.target.value })}
              error={Boolean(errors.justification)}
              helperText={
                errors.justification ??
                t('acceptance.justificationHelp', {
                  min: String(ACCEPTANCE_LIMITS.justificationMinLength),
                })
              }
            />
            <YesNoQuestion
              id="ml-governance-in-active-use"
              label={t('acceptance.inActiveUse')}
              value={form.inActiveUse}
              onChange={inActiveUse => update({ inActiveUse })}
              error={errors.inActiveUse}
            />
            <YesNoQuestion
              id="ml-governance-safer-alternative"
              label={t('acceptance.saferAlternative')}
              value={form.saferAlternativeAvailable}
              onChange={saferAlternativeAvailable =>
                update({ saferAlternativeAvailable })
              }
              error={errors.saferAlternativeAvailable}
            />
            {form.saferAlternativeAvailable && (
              <TextField
                id="ml-governance-safer-alternative-plan"
                label={t('acceptance.saferAlternativePlan')}
                required
                fullWidth
                multiline
                minRows={2}
                margin="dense"
                variant="outlined"
                value={form.saferAlternativePlan}
                onChange={event =>
                  update({ saferAlternativePlan: event.target.value })
                }
                error={Boolean(errors.saferAlternativePlan)}
                helperText={
                  errors.saferAlternativePlan ??
                  t('acceptance.saferAlternativePlanHelp')
                }
              />
            )}
            <YesNoQuestion
              id="ml-governance-source-trusted"
              label={t('acceptance.sourceTrusted')}
              value={form.sourceTrustedAndHashPinned}
              onChange={sourceTrustedAndHashPinned =>
                update({ sourceTrustedAndHashPinned })
              }
              error={errors.sourceTrustedAndHashPinned}
            />
            <TextField
              id="ml-governance-expires-on"
              label={t('acceptance.expiresOn')}
              type="date"
              required
              margin="dense"
              variant="outlined"
              InputLabelProps={{ shrink: true }}
              inputProps={{ min: bounds.min, max: bounds.max }}
              value={form.expiresOn}
              onChange={event => update({ expiresOn: event.target.value })}
              error={Boolean(errors.expiresOn)}
              helperText={
                errors.expiresOn ??
                t('acceptance.expiresOnHelp', {
                  defaultDays: String(ACCEPTANCE_LIMITS.defaultExpiryDays),
                  maxDays: String(ACCEPTANCE_LIMITS.maxExpiryDays),
                })
              }
            />
          </DialogContent>
          <FormDialogFooter
            submitLabel={t('acceptance.submit')}
            submitting={submitting}
            onCancel={onClose}
            error={submitError}
            errorTitle={t('acceptance.notSent')}
          />
        </form>
      )}
    </Dialog>
  );
}
