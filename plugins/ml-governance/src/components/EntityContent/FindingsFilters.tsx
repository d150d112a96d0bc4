import {
  FindingStatus,
  SEVERITIES,
  Severity,
} from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { severityLabel } from '../common/labels';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

export type StatusFilter = FindingStatus | 'all';

export interface FindingsFilterValues {
  status: StatusFilter;
  severities: Severity[];
  ruleId: string;
  search: string;
}

/** Status, severity, rule and free-text search above the findings table. */
export function FindingsFilters(props: {
  values: FindingsFilterValues;
  onChange: (values: FindingsFilterValues) => void;
}) {
  const { values, onChange } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const update = (patch: Partial<FindingsFilterValues>) =>
    onChange({ ...values, ...patch });
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="flex-end"
      style={{ gap: 16 }}
      mb={2}
      role="search"
      aria-label={t('filters.label')}
      data-testid="ml-governance-findings-filters"
    >
      <TextField
        id="ml-governance-filter-status"
        select
        label={t('filters.status')}
        size="small"
        variant="outlined"
        value={values.status}
        onChange={event =>
          update({ status: event.target.value as StatusFilter })
        }
        style={{ minWidth: 130 }}
      >
        <MenuItem value="open">{t('filters.statusOpen')}</MenuItem>
        <MenuItem value="accepted">{t('filters.statusAccepted')}</MenuItem>
        <MenuItem value="resolved">{t('filters.statusResolved')}</MenuItem>
        <MenuItem value="all">{t('filters.statusAll')}</MenuItem>
      </TextField>
      <div>
        <Typography
          variant="caption"
          component="div"
          color="textSecondary"
          id="ml-governance-filter-severity-label"
        >
          {t('filters.severity')}
        </Typography>
        <ToggleButtonGroup
          size="small"
          aria-labelledby="ml-governance-filter-severity-label"
          value={values.severities}
          onChange={(_event, severities: Severity[]) => update({ severities })}
        >
          {SEVERITIES.map(severity => (
            <ToggleButton
              key={severity}
              value={severity}
              aria-label={severityLabel(t, severity)}
            >
              {severityLabel(t, severity)}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </div>
      <TextField
        id="ml-governance-filter-rule"
        label={t('filters.ruleId')}
        size="small"
        variant="outlined"
        placeholder={t('filters.ruleIdPlaceholder')}
        value={values.ruleId}
        onChange={event => update({ ruleId: event.target.value })}
      />
      <TextField
        id="ml-governance-filter-search"
        label={t('filters.search')}
        type="search"
        size="small"
        variant="outlined"
        placeholder={t('filters.searchPlaceholder')}
        value={values.search}
        onChange={event => update({ search: event.target.value })}
        style={{ minWidth: 240 }}
      />
    </Box>
  );
}
