import { mockApis } from '@backstage/test-utils';
import type { Translate } from '../components/common/labels';
import { mlGovernanceTranslationRef } from '../translation';

/** The plugin's English messages as a translate function, for tests of plain helper functions. */
export const englishT: Translate = (() => {
  const snapshot = mockApis
    .translation()
    .getTranslation(mlGovernanceTranslationRef);
  if (!snapshot.ready) throw new Error('the mock translation API is not ready');
  return snapshot.t;
})();
