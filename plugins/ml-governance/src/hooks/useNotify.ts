import {
  alertApiRef,
  toastApiRef,
  useApiHolder,
} from '@backstage/frontend-plugin-api';
import { useCallback } from 'react';

export type NotifyLevel = 'success' | 'error';

/**
 * Short feedback after an action. Uses the new frontend system's ToastApi when the app has it, and
 * the (deprecated there) AlertApi in legacy apps, so the plugin works in both.
 */
export function useNotify(): (message: string, level: NotifyLevel) => void {
  const apis = useApiHolder();
  return useCallback(
    (message: string, level: NotifyLevel) => {
      const toastApi = apis.get(toastApiRef);
      if (toastApi) {
        toastApi.post({
          title: message,
          status: level === 'error' ? 'danger' : 'success',
          timeout: level === 'error' ? undefined : 5000,
        });
        return;
      }
      apis.get(alertApiRef)?.post({
        message,
        severity: level,
        display: level === 'error' ? 'permanent' : 'transient',
      });
    },
    [apis],
  );
}
