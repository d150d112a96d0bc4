import fc from 'fast-check';
import { normalizeLicence, licenceFromMetadata } from './normalize';
import { evaluateLicence } from './policy';

describe('licence normalisation on arbitrary input', () => {
  it('never throws and always decides', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.constantFrom(
            'MIT AND',
            '(GPL-2.0',
            'OR OR',
            'LicenseRef-',
            'Apache-2.0 WITH',
            'other',
          ),
        ),
        text => {
          normalizeLicence(text);
          licenceFromMetadata({ text, expression: text, classifiers: [text] });
          expect(['allow', 'review', 'deny']).toContain(
            evaluateLicence(text, { licences: { [text]: 'deny' } }).action,
          );
        },
      ),
      { numRuns: 400 },
    );
  });
});
