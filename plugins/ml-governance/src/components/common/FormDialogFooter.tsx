import { ResponseErrorPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import DialogActions from '@material-ui/core/DialogActions';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/**
 * The end of a form dialog, after its DialogContent: the server's refusal (if any), then Cancel and
 * the submit button, both disabled while the request is in flight.
 */
export function FormDialogFooter(props: {
  submitLabel: string;
  submitting: boolean;
  onCancel: () => void;
  error?: Error;
  errorTitle: string;
  submitColor?: 'primary' | 'secondary';
}) {
  const { submitLabel, submitting, onCancel, error, errorTitle } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  return (
    <>
      {error && (
        <Box px={3} pb={1}>
          <ResponseErrorPanel error={error} title={errorTitle} />
        </Box>
      )}
      <DialogActions>
        <Button onClick={onCancel} disabled={submitting}>
          {t('common.cancel')}
        </Button>
        <Button
          type="submit"
          color={props.submitColor ?? 'primary'}
          variant="contained"
          disabled={submitting}
          startIcon={submitting ? <CircularProgress size={16} /> : undefined}
        >
          {submitLabel}
        </Button>
      </DialogActions>
    </>
  );
}
