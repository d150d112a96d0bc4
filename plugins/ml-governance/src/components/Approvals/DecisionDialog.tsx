import { useApi } from '@backstage/frontend-plugin-api';
import type {
  AcceptanceDecision,
  RiskAcceptance,
} from '@ml-governance/plugin-ml-governance-common';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { mlGovernanceApiRef } from '../../api';
import { describeAcceptanceScope } from '../common/labels';
import { FormDialogFooter } from '../common/FormDialogFooter';
import { isConflict } from '../common/responseErrors';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

export const DECISION_COMMENT_MIN_LENGTH = 5;

const WORDING = {
  approve: { title: 'approveTitle', confirm: 'confirmApprove' },
  reject: { title: 'rejectTitle', confirm: 'confirmReject' },
  revoke: { title: 'revokeTitle', confirm: 'confirmRevoke' },
} as const;

/**
 * Approves or rejects one request (or revokes an active acceptance) with a required comment, naming
 * the revision the approver saw.
 * A conflict (someone else acted first) is handed to the caller, which refreshes the queue.
 */
export function DecisionDialog(props: {
  acceptance: RiskAcceptance;
  decision: AcceptanceDecision['decision'] | 'revoke';
  onClose: () => void;
  onDecided: (acceptance: RiskAcceptance) => void;
  onConflict: () => void;
}) {
  const { acceptance, decision, onClose, onDecided, onConflict } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const api = useApi(mlGovernanceApiRef);
  const [comment, setComment] = useState('');
  const [touched, setTouched] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error>();
  const wording = WORDING[decision];
  const commentError =
    comment.trim().length < DECISION_COMMENT_MIN_LENGTH
      ? t('approvals.commentRequired', {
          min: String(DECISION_COMMENT_MIN_LENGTH),
        })
      : undefined;

  const submit = async () => {
    setTouched(true);
    if (commentError) return;
    setSubmitting(true);
    setError(undefined);
    try {
      const body = { comment: comment.trim(), revision: acceptance.revision };
      const decided =
        decision === 'revoke'
          ? await api.revokeAcceptance(acceptance.id, body)
          : await api.decideAcceptance(acceptance.id, { decision, ...body });
      onDecided(decided);
    } catch (e) {
      if (isConflict(e as Error)) {
        onConflict();
      } else {
        setError(e as Error);
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open
      onClose={submitting ? undefined : onClose}
      aria-labelledby="ml-governance-decision-title"
      maxWidth="sm"
      fullWidth
    >
      <form
        noValidate
        onSubmit={event => {
          event.preventDefault();
          submit();
        }}
      >
        <DialogTitle id="ml-governance-decision-title">
          {t(`approvals.${wording.title}`)}
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            {t('labels.scope.onEntity', {
              scope: describeAcceptanceScope(t, acceptance),
              entity: acceptance.entityRef,
            })}
          </DialogContentText>
          <TextField
            id="ml-governance-decision-comment"
            label={t('approvals.comment')}
            required
            // eslint-disable-next-line jsx-a11y/no-autofocus -- first field of a dialog takes focus (WAI-ARIA dialog pattern)
            autoFocus
            fullWidth
            multiline
            minRows={3}
            variant="outlined"
            value={comment}
            onChange={event => setComment(event.target.value)}
            error={touched && Boolean(commentError)}
            helperText={
              touched && commentError
                ? commentError
                : t('approvals.commentHelp')
            }
          />
        </DialogContent>
        <FormDialogFooter
          submitLabel={t(`approvals.${wording.confirm}`)}
          submitColor={decision === 'approve' ? 'primary' : 'secondary'}
          submitting={submitting}
          onCancel={onClose}
          error={error}
          errorTitle={t('approvals.notRecorded')}
        />
      </form>
    </Dialog>
  );
}
