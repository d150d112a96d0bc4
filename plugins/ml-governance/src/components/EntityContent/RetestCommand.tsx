import { CopyTextButton } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { useTheme } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

/** The command that re-checks a finding locally, with a copy button. */
export function RetestCommand(props: { command: string }) {
  const theme = useTheme();
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  return (
    <Box
      display="flex"
      alignItems="center"
      style={{
        gap: 8,
        background: theme.palette.background.default,
        border: `1px solid ${theme.palette.divider}`,
        borderRadius: 4,
        paddingLeft: 12,
      }}
    >
      <Box
        component="pre"
        flex={1}
        m={0}
        style={{ overflowX: 'auto', whiteSpace: 'pre' }}
      >
        <code data-testid="ml-governance-retest-command">{props.command}</code>
      </Box>
      <CopyTextButton
        text={props.command}
        tooltipText={t('findings.commandCopied')}
        aria-label={t('findings.copyRetestCommand')}
      />
    </Box>
  );
}
