import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import {
  TranslationFunction,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import type {
  ImageProvenance,
  ModelSignatureProvenance,
  PinProvenance,
} from '@ml-governance/plugin-ml-governance-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useProvenance } from '../../hooks/useProvenance';
import { mlGovernanceTranslationRef } from '../../translation';
import { formatDateTime } from '../common/format';
import { Digest, Problems, SignedFiles, Signer } from './ProvenanceParts';
import { SignatureStatusLabel } from './SignatureStatusLabel';

type T = TranslationFunction<typeof mlGovernanceTranslationRef.T>;

function imageColumns(t: T): TableColumn<ImageProvenance>[] {
  return [
    {
      title: t('provenance.columns.image'),
      field: 'reference',
      render: image => (
        <Typography variant="body2" style={{ wordBreak: 'break-all' }}>
          {image.reference}
        </Typography>
      ),
    },
    {
      title: t('provenance.columns.digest'),
      field: 'digest',
      render: image => (
        <>
          <Digest value={image.digest} />
          <Typography variant="caption" component="div" color="textSecondary">
            {t(`provenance.imageStatus.${image.status}`)}
            {image.error ? `: ${image.error}` : ''}
          </Typography>
        </>
      ),
    },
    {
      title: t('provenance.columns.signature'),
      field: 'signature',
      render: image => (
        <>
          <SignatureStatusLabel status={image.signature.status} />
          <Signer signer={image.signature.signer} />
          <Problems problems={image.problems} />
        </>
      ),
    },
  ];
}

function modelColumns(t: T): TableColumn<ModelSignatureProvenance>[] {
  return [
    {
      title: t('provenance.columns.signatureFile'),
      field: 'path',
      render: model => (
        <>
          <Typography variant="body2">{model.path}</Typography>
          <Typography variant="caption" color="textSecondary">
            {model.target}
          </Typography>
        </>
      ),
    },
    {
      title: t('provenance.columns.status'),
      field: 'status',
      render: model => (
        <>
          <SignatureStatusLabel status={model.status} />
          {model.signedFiles !== undefined && (
            <Typography variant="caption" component="div">
              {t('provenance.signedFiles', {
                files: String(model.signedFiles),
              })}
            </Typography>
          )}
          <SignedFiles files={model.files} total={model.signedFiles} />
        </>
      ),
    },
    {
      title: t('provenance.columns.signer'),
      field: 'signer',
      render: model => (
        <>
          <Signer signer={model.signer} />
          <Problems problems={model.problems} />
        </>
      ),
    },
  ];
}

function pinColumns(t: T): TableColumn<PinProvenance>[] {
  return [
    { title: t('provenance.columns.file'), field: 'path' },
    {
      title: t('provenance.columns.pinned'),
      field: 'expected',
      render: pin => (
        <>
          <Digest value={pin.expected} />
          {pin.actual && (
            <Typography variant="caption" component="div" color="error">
              {t('provenance.actualDigest')} <Digest value={pin.actual} />
            </Typography>
          )}
        </>
      ),
    },
    {
      title: t('provenance.columns.status'),
      field: 'status',
      render: pin => t(`provenance.pinStatus.${pin.status}`),
    },
  ];
}

const TABLE_OPTIONS = {
  paging: false,
  search: false,
  toolbar: false,
  padding: 'dense' as const,
};

/**
 * The entity's provenance: which image digests the decision belongs to and who signed them, which
 * model signatures verified (and what failed), and how the sha256 pins held at the last scan.
 */
export function ProvenanceCard(props: { entityRef: string }) {
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const provenance = useProvenance(props.entityRef);
  const value = provenance.value;
  const empty =
    value &&
    value.images.length === 0 &&
    value.modelSignatures.length === 0 &&
    value.pins.length === 0;
  return (
    <InfoCard
      title={t('provenance.title')}
      subheader={
        value?.lastScannedAt
          ? t('provenance.asOf', { time: formatDateTime(value.lastScannedAt) })
          : undefined
      }
    >
      <div data-testid="ml-governance-provenance">
        {provenance.loading && !value && <Progress />}
        {provenance.error && (
          <ResponseErrorPanel
            error={provenance.error}
            title={t('provenance.loadError')}
          />
        )}
        {empty && <Typography>{t('provenance.empty')}</Typography>}
        {value && value.images.length > 0 && (
          <Box mb={2}>
            <Table
              title={t('provenance.images')}
              columns={imageColumns(t)}
              data={value.images}
              options={{ ...TABLE_OPTIONS, toolbar: true }}
            />
          </Box>
        )}
        {value && value.modelSignatures.length > 0 && (
          <Box mb={2}>
            <Table
              title={t('provenance.modelSignatures')}
              columns={modelColumns(t)}
              data={value.modelSignatures}
              options={{ ...TABLE_OPTIONS, toolbar: true }}
            />
          </Box>
        )}
        {value && value.pins.length > 0 && (
          <Table
            title={t('provenance.pins')}
            columns={pinColumns(t)}
            data={value.pins}
            options={{ ...TABLE_OPTIONS, toolbar: true }}
          />
        )}
      </div>
    </InfoCard>
  );
}
