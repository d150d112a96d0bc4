import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { ReactNode } from 'react';
import { mlGovernanceTranslationRef } from '../../translation';

function Entry(props: { swatch: ReactNode; label: string }) {
  return (
    <Typography variant="caption" style={{ display: 'inline-flex', gap: 4 }}>
      <svg width={14} height={12} aria-hidden>
        {props.swatch}
      </svg>
      {props.label}
    </Typography>
  );
}

/** What the marks of the probe charts mean (the charts' own labels say it to screen readers). */
export function ProbeChartLegend(props: { withBand: boolean }) {
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const { palette } = useTheme();
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mb={1} aria-hidden>
      <Entry
        swatch={<circle cx={7} cy={6} r={3} fill={palette.primary.main} />}
        label={t('modelApiProbes.legend.run')}
      />
      <Entry
        swatch={<path d="M7,0 L13,6 L7,12 L1,6 Z" fill={palette.error.main} />}
        label={t('modelApiProbes.legend.alertRun')}
      />
      {props.withBand && (
        <>
          <Entry
            swatch={
              <rect
                width={14}
                height={12}
                fill={palette.success.main}
                fillOpacity={0.15}
              />
            }
            label={t('modelApiProbes.legend.band')}
          />
          <Entry
            swatch={
              <line
                x1={0}
                x2={14}
                y1={6}
                y2={6}
                stroke={palette.success.dark}
                strokeDasharray="4 3"
              />
            }
            label={t('modelApiProbes.legend.mean')}
          />
        </>
      )}
    </Box>
  );
}
