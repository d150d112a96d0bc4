import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** A required yes/no question: a labelled radio group with no default, so it must be answered. */
export function YesNoQuestion(props: {
  id: string;
  label: string;
  value: boolean | undefined;
  onChange: (value: boolean) => void;
  error?: string;
}) {
  const { id, label, value, onChange, error } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const labelId = `${id}-label`;
  const helperId = `${id}-helper`;
  return (
    <FormControl
      component="fieldset"
      error={Boolean(error)}
      margin="dense"
      required
    >
      <FormLabel component="legend" id={labelId}>
        {label}
      </FormLabel>
      <RadioGroup
        row
        name={id}
        aria-labelledby={labelId}
        aria-describedby={error ? helperId : undefined}
        value={value === undefined ? '' : String(value)}
        onChange={event => onChange(event.target.value === 'true')}
      >
        <FormControlLabel
          value="true"
          control={<Radio color="primary" />}
          label={t('common.yes')}
        />
        <FormControlLabel
          value="false"
          control={<Radio color="primary" />}
          label={t('common.no')}
        />
      </RadioGroup>
      {error && <FormHelperText id={helperId}>{error}</FormHelperText>}
    </FormControl>
  );
}
