import { useCallback, useState } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { mlGovernanceTranslationRef } from '../translation';
import { useNotify } from './useNotify';

/**
 * Runs a one-off action (rescan, generate a report), tracks that it is busy and tells the user how it
 * went. Resolves to the action's result, or undefined when it failed.
 */
export function useNotifyingAction() {
  const notify = useNotify();
  const { t } = useTranslationRef(mlGovernanceTranslationRef);
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async function runAction<T>(
      action: () => Promise<T>,
      success: (result: T) => string,
      failure: string,
    ): Promise<T | undefined> {
      setBusy(true);
      try {
        const result = await action();
        notify(success(result), 'success');
        return result;
      } catch (error) {
        notify(
          t('labels.failedWithMessage', {
            failure,
            message: (error as Error).message,
          }),
          'error',
        );
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [notify, t],
  );
  return { busy, run };
}
