import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ModelApiProbeSeries } from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { mlGovernanceTranslationRef } from '../../translation';
import { Fact } from '../common/Fact';
import { StageChip } from '../Promotion/StageChip';
import { Digest } from '../Provenance/ProvenanceParts';

/**
 * What the API is: provider, declared model (pinned or an alias), where its system prompt lives and
 * the digest of the prompt text last read, and the stage of its current version.
 */
export function ModelApiFacts(props: { series: ModelApiProbeSeries }) {
  const { series } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  return (
    <Box mb={2}>
      <Grid container spacing={1}>
        <Fact label={t('modelApiProbes.provider')}>{series.provider}</Fact>
        <Fact
          label={t('modelApiProbes.model')}
          testId="ml-governance-model-api-model"
        >
          <Box
            display="flex"
            alignItems="center"
            flexWrap="wrap"
            style={{ gap: 8 }}
          >
            <code style={{ wordBreak: 'break-all' }}>{series.model}</code>
            <Chip
              size="small"
              variant="outlined"
              color={series.modelPinned ? 'primary' : 'secondary'}
              label={
                series.modelPinned
                  ? t('modelApiProbes.pinned')
                  : t('modelApiProbes.unpinned')
              }
              data-pinned={String(series.modelPinned)}
            />
          </Box>
        </Fact>
        <Fact
          label={t('modelApiProbes.systemPrompt')}
          testId="ml-governance-model-api-system-prompt"
        >
          {series.systemPrompt ? (
            <>
              <Typography variant="body2" style={{ wordBreak: 'break-all' }}>
                {series.systemPrompt.location}
              </Typography>
              <Typography
                variant="caption"
                color="textSecondary"
                component="div"
              >
                {t('modelApiProbes.systemPromptDigest')}{' '}
                {series.systemPrompt.digest ? (
                  <Digest value={series.systemPrompt.digest} />
                ) : (
                  t('modelApiProbes.notReadYet')
                )}
              </Typography>
            </>
          ) : (
            t('modelApiProbes.notDeclared')
          )}
        </Fact>
        <Fact label={t('modelApiProbes.stage')}>
          {series.stage ? (
            <StageChip stage={series.stage} />
          ) : (
            t('modelApiProbes.noStage')
          )}
        </Fact>
      </Grid>
      {series.declarationError && (
        <Box mt={2}>
          <Alert
            severity="error"
            data-testid="ml-governance-model-api-declaration-error"
          >
            {t('modelApiProbes.declarationError', {
              error: series.declarationError,
            })}
          </Alert>
        </Box>
      )}
      {!series.modelPinned && (
        <Box mt={2}>
          <Alert severity="warning" data-testid="ml-governance-model-unpinned">
            {t('modelApiProbes.unpinnedWarning', { model: series.model })}
          </Alert>
        </Box>
      )}
    </Box>
  );
}
