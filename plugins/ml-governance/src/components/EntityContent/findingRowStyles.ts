import { makeStyles } from '@material-ui/core/styles';

/**
 * One stylesheet for every findings row. The rows are plain table elements with these classes, not
 * MUI components: a page of 100 rows would otherwise mount some 2,000 MUI components (cells,
 * typography, chips, ripple buttons), which is most of the tab's render time in Chromium.
 */
export const useFindingRowStyles = makeStyles(theme => ({
  row: {
    '&:hover': { backgroundColor: theme.palette.action.hover },
  },
  cell: {
    ...theme.typography.body2,
    padding: theme.spacing(0.75, 2),
    borderBottom: `1px solid ${theme.palette.divider}`,
    verticalAlign: 'top',
    textAlign: 'left',
  },
  ruleId: { fontWeight: 600, display: 'block' },
  caption: {
    ...theme.typography.caption,
    color: theme.palette.text.secondary,
    display: 'block',
  },
  captionPlain: { ...theme.typography.caption, display: 'block' },
  chip: {
    ...theme.typography.caption,
    display: 'inline-block',
    borderRadius: 12,
    padding: '2px 8px',
    whiteSpace: 'nowrap',
  },
  location: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    display: 'block',
    wordBreak: 'break-word',
  },
  evidence: { wordBreak: 'break-word' },
  link: { color: theme.palette.primary.main },
  actions: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
  },
  button: {
    ...theme.typography.button,
    fontSize: '0.8125rem',
    background: 'none',
    border: 0,
    borderRadius: theme.shape.borderRadius,
    padding: '4px 5px',
    cursor: 'pointer',
    whiteSpace: 'nowrap',
    color: theme.palette.text.primary,
    '&:hover': { backgroundColor: theme.palette.action.hover },
    '&:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 1,
    },
  },
  primaryButton: { color: theme.palette.primary.main },
}));

export type FindingRowClasses = ReturnType<typeof useFindingRowStyles>;
