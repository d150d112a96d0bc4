import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ArtifactVersion } from '@ml-governance/plugin-ml-governance-common';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { mlGovernanceApiRef } from '../../api';
import { mlGovernanceTranslationRef } from '../../translation';
import { FormDialogFooter } from '../common/FormDialogFooter';
import { isConflict } from '../common/responseErrors';
import type { VersionAction } from './versionActions';

/** What each action needs typed in: requests may go without a comment, rejections need a reason. */
const MIN_LENGTH: Record<VersionAction, number> = {
  request: 0,
  security: 1,
  owner: 1,
  reject: 10,
};

/**
 * Requests, signs off or rejects one version, naming the revision the user saw. A conflict (someone
 * else acted first, or a scan re-evaluated it) goes to the caller, which reloads.
 */
export function PromotionDialog(props: {
  version: ArtifactVersion;
  action: VersionAction;
  onClose: () => void;
  onDone: (version: ArtifactVersion) => void;
  onConflict: () => void;
}) {
  const { version, action, onClose, onDone, onConflict } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const api = useApi(mlGovernanceApiRef);
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error>();
  const label =
    action === 'reject' ? t('promotion.reason') : t('promotion.comment');
  const tooShort = text.trim().length < MIN_LENGTH[action];

  const send = () => {
    const revision = version.revision;
    const trimmed = text.trim();
    if (action === 'request')
      return api.requestPromotion(version.id, {
        revision,
        ...(trimmed ? { comment: trimmed } : {}),
      });
    if (action === 'reject')
      return api.rejectVersion(version.id, { reason: trimmed, revision });
    return api.signOffVersion(version.id, {
      kind: action,
      revision,
      comment: trimmed,
    });
  };

  const submit = async () => {
    setTouched(true);
    if (tooShort) return;
    setSubmitting(true);
    setError(undefined);
    try {
      onDone(await send());
    } catch (e) {
      if (isConflict(e as Error)) onConflict();
      else setError(e as Error);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open
      onClose={submitting ? undefined : onClose}
      aria-labelledby="ml-governance-promotion-title"
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
        <DialogTitle id="ml-governance-promotion-title">
          {t(`promotion.dialogTitles.${action}`)}
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            {t(`promotion.dialogHelp.${action}`)}
          </DialogContentText>
          <DialogContentText
            style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
          >
            {version.entityRef} @ {version.digest}
          </DialogContentText>
          <TextField
            id="ml-governance-promotion-text"
            label={label}
            required={MIN_LENGTH[action] > 0}
            // eslint-disable-next-line jsx-a11y/no-autofocus -- first field of a dialog takes focus (WAI-ARIA dialog pattern)
            autoFocus
            fullWidth
            multiline
            minRows={3}
            variant="outlined"
            value={text}
            inputProps={{ maxLength: 4000 }}
            onChange={event => setText(event.target.value)}
            error={touched && tooShort}
          />
        </DialogContent>
        <FormDialogFooter
          submitLabel={t('promotion.submit')}
          submitColor={action === 'reject' ? 'secondary' : 'primary'}
          submitting={submitting}
          onCancel={onClose}
          error={error}
          errorTitle={t('promotion.failed')}
        />
      </form>
    </Dialog>
  );
}
