import { Link } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import {
  fetchApiRef,
  useApi,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import { MouseEvent } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { mlGovernanceApiRef } from '../../api';
import { useNotify } from '../../hooks/useNotify';
import { mlGovernanceTranslationRef } from '../../translation';

/**
 * CSV and JSON exports of the log with the current search. The hrefs are the real export URLs; a
 * click downloads through fetchApi so the user's Backstage token goes with the request.
 */
export function RejectedArtifactDownloads(props: { q?: string }) {
  const { q } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const api = useApi(mlGovernanceApiRef);
  const fetchApi = useApi(fetchApiRef);
  const notify = useNotify();
  const { value: urls } = useAsync(
    async () => ({
      csv: await api.getRejectedArtifactsDownloadUrl('csv', { q }),
      json: await api.getRejectedArtifactsDownloadUrl('json', { q }),
    }),
    [api, q],
  );
  if (!urls) return null;

  const download = (format: 'csv' | 'json') => async (event: MouseEvent) => {
    event.preventDefault();
    try {
      const response = await fetchApi.fetch(urls[format]);
      if (!response.ok) throw await ResponseError.fromResponse(response);
      const objectUrl = URL.createObjectURL(await response.blob());
      const anchor = document.createElement('a');
      anchor.href = objectUrl;
      anchor.download = `rejected-artifacts.${format}`;
      anchor.click();
      URL.revokeObjectURL(objectUrl);
    } catch (error) {
      notify(
        t('rejectedArtifacts.downloadFailed', {
          message: (error as Error).message,
        }),
        'error',
      );
    }
  };

  return (
    <Box display="flex" style={{ gap: 16 }}>
      <Link
        to={urls.csv}
        onClick={download('csv')}
        data-testid="ml-governance-rejected-csv"
      >
        {t('labels.downloadCsv')}
      </Link>
      <Link
        to={urls.json}
        onClick={download('json')}
        data-testid="ml-governance-rejected-json"
      >
        {t('labels.downloadJson')}
      </Link>
    </Box>
  );
}
