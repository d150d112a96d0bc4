import { Link } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import { fetchApiRef, useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import { MouseEvent } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useNotify } from '../../hooks/useNotify';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../../translation';

export type DownloadFormat = 'csv' | 'json';

/**
 * CSV and JSON export links. The hrefs are the real export URLs (copyable, openable); a click
 * downloads through fetchApi so the user's Backstage token goes with the request.
 */
export function DownloadLinks(props: {
  /** Resolves the export URL of a format; re-resolved when `deps` change. */
  urlFor: (format: DownloadFormat) => Promise<string>;
  deps: unknown[];
  /** File name (without extension) the browser saves. */
  fileName: string;
  /** Notification text for a failed download. */
  failure: (message: string) => string;
  /** `<prefix>-csv` and `<prefix>-json`. */
  testIdPrefix: string;
}) {
  const { urlFor, fileName, failure, testIdPrefix } = props;
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const fetchApi = useApi(fetchApiRef);
  const notify = useNotify();
  const { value: urls } = useAsync(
    async () => ({ csv: await urlFor('csv'), json: await urlFor('json') }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what the URLs depend on
    props.deps,
  );
  if (!urls) return null;

  const download = (format: DownloadFormat) => async (event: MouseEvent) => {
    event.preventDefault();
    try {
      const response = await fetchApi.fetch(urls[format]);
      if (!response.ok) throw await ResponseError.fromResponse(response);
      const objectUrl = URL.createObjectURL(await response.blob());
      const anchor = document.createElement('a');
      anchor.href = objectUrl;
      anchor.download = `${fileName}.${format}`;
      anchor.click();
      URL.revokeObjectURL(objectUrl);
    } catch (error) {
      notify(failure((error as Error).message), 'error');
    }
  };

  return (
    <Box display="flex" style={{ gap: 16 }}>
      <Link
        to={urls.csv}
        onClick={download('csv')}
        data-testid={`${testIdPrefix}-csv`}
      >
        {t('labels.downloadCsv')}
      </Link>
      <Link
        to={urls.json}
        onClick={download('json')}
        data-testid={`${testIdPrefix}-json`}
      >
        {t('labels.downloadJson')}
      </Link>
    </Box>
  );
}
