import {
  evaluateLicence,
  readLicencePolicy,
  type LicencePolicy,
} from './policy';
import { licenceFromMetadata, normalizeLicence } from './normalize';

describe('normalizeLicence', () => {
  it.each([
    ['MIT', 'MIT', false],
    ['apache-2.0 or mit', 'Apache-2.0 OR MIT', false],
    ['cc-by-nc-4.0', 'CC-BY-NC-4.0', false],
    ['llama3.1', 'LicenseRef-llama3.1', false],
    ['creativeml-openrail-m', 'LicenseRef-creativeml-openrail-m', false],
    ['agpl-3.0', 'AGPL-3.0-only', false],
    ['Apache 2', 'Apache-2.0', true],
    ['new BSD', 'BSD-3-Clause', true],
  ])('%s → %s (guessed: %s)', (raw, expression, guessed) => {
    expect(normalizeLicence(raw)).toMatchObject({ expression, guessed });
  });

  it('does not mistake Object.prototype names for licences', () => {
    expect(normalizeLicence('constructor')).toBeUndefined();
    expect(evaluateLicence('__proto__', {}).category).toBe('unknown');
    expect(
      licenceFromMetadata({ classifiers: ['License :: constructor'] }),
    ).toBeUndefined();
  });

  it('names `other` licences from license_name and treats blanks as missing', () => {
    expect(
      normalizeLicence('other', { licenseName: 'Acme Model License v2' })
        ?.expression,
    ).toBe('LicenseRef-acme-model-license-v2');
    expect(normalizeLicence('UNKNOWN')).toBeUndefined();
    expect(normalizeLicence('  ')).toBeUndefined();
  });

  it('recognises pasted licence texts, marked guessed', () => {
    const text =
      '                                 Apache License\n                           Version 2.0, January 2004\n        http://www.apache.org/licenses/\n\n   TERMS AND CONDITIONS';
    expect(normalizeLicence(text)).toEqual({
      expression: 'Apache-2.0',
      guessed: true,
      via: 'text',
    });
  });
});

describe('licenceFromMetadata', () => {
  it('prefers License-Expression, then an SPDX License, then classifiers, then a guess', () => {
    expect(
      licenceFromMetadata({
        expression: 'BSD-3-Clause',
        text: 'GPL',
        classifiers: [],
      })?.expression,
    ).toBe('BSD-3-Clause');
    expect(
      licenceFromMetadata({
        text: 'MIT',
        classifiers: ['License :: OSI Approved :: Apache Software License'],
      })?.expression,
    ).toBe('MIT');
    expect(
      licenceFromMetadata({
        text: 'BSD-3',
        classifiers: ['License :: OSI Approved :: BSD License'],
      }),
    ).toEqual({
      expression: 'LicenseRef-bsd',
      guessed: false,
      via: 'classifier',
    });
    expect(
      licenceFromMetadata({ text: 'Apache Software License', classifiers: [] }),
    ).toMatchObject({ expression: 'Apache-2.0', guessed: true });
    expect(licenceFromMetadata({ classifiers: [] })).toBeUndefined();
  });
});

describe('evaluateLicence', () => {
  const strict: LicencePolicy = {
    licences: { 'cc-by-nc-4.0': 'deny', 'agpl-3.0': 'deny' },
    missing: 'deny',
  };

  it('denies cc-by-nc-4.0 and every AGPL-3.0 variant by ID, whatever the spelling', () => {
    for (const declared of [
      'cc-by-nc-4.0',
      'CC-BY-NC-4.0',
      'agpl-3.0',
      'AGPL-3.0-or-later',
      'AGPL-3.0-only',
      'AGPL-3.0',
    ]) {
      expect(evaluateLicence(declared, strict)).toMatchObject({
        action: 'deny',
      });
    }
    expect(evaluateLicence('MIT', strict)).toMatchObject({
      action: 'allow',
      category: 'permissive',
    });
  });

  it('a suffixed policy ID matches only itself', () => {
    const policy: LicencePolicy = { licences: { 'GPL-3.0-only': 'deny' } };
    expect(evaluateLicence('GPL-3.0-only', policy).action).toBe('deny');
    expect(evaluateLicence('GPL-3.0-or-later', policy).action).toBe('review');
  });

  it('fails on a missing licence when the policy says so', () => {
    expect(evaluateLicence(undefined, strict)).toMatchObject({
      action: 'deny',
      missing: true,
    });
    expect(evaluateLicence(undefined, {})).toMatchObject({
      action: 'review',
      missing: true,
    });
  });

  it('takes the best alternative of OR and the worst part of AND', () => {
    expect(evaluateLicence('GPL-3.0-only OR MIT', {}).action).toBe('allow');
    expect(evaluateLicence('MIT AND CC-BY-NC-4.0', strict)).toMatchObject({
      action: 'deny',
      category: 'non-commercial',
    });
  });

  it('makes network copyleft matter for hosted services and copyleft for distribution', () => {
    expect(
      evaluateLicence('AGPL-3.0-only', { distribution: 'internal' }).action,
    ).toBe('allow');
    expect(
      evaluateLicence('AGPL-3.0-only', { distribution: 'hosted-service' })
        .action,
    ).toBe('review');
    expect(
      evaluateLicence('GPL-3.0-only', { distribution: 'hosted-service' })
        .action,
    ).toBe('allow');
    expect(
      evaluateLicence('GPL-3.0-only', { distribution: 'distributed' }).action,
    ).toBe('review');
  });

  it('categorises model licences', () => {
    expect(evaluateLicence('llama3', {}).category).toBe('vendor-community');
    expect(evaluateLicence('bigscience-bloom-rail-1.0', {}).category).toBe(
      'use-restricted',
    );
    expect(evaluateLicence('openrail++', {}).category).toBe('use-restricted');
    expect(evaluateLicence('cc-by-nc-sa-4.0', {}).category).toBe(
      'non-commercial',
    );
    expect(evaluateLicence('cc-by-sa-4.0', {}).category).toBe('weak-copyleft');
    expect(
      evaluateLicence('GPL-2.0-only WITH Classpath-exception-2.0', {}).category,
    ).toBe('weak-copyleft');
    expect(evaluateLicence('Apache-2.0 WITH LLVM-exception', {}).category).toBe(
      'permissive',
    );
    expect(
      evaluateLicence('gemma', { categories: { 'vendor-community': 'allow' } })
        .action,
    ).toBe('allow');
    expect(evaluateLicence('Some Custom Licence Text v9', {})).toMatchObject({
      action: 'review',
      category: 'unknown',
      missing: false,
    });
  });

  it('allows a Hugging Face licence by its own ID in the policy', () => {
    expect(
      evaluateLicence('LicenseRef-llama3.1', {
        licences: { 'llama3.1': 'allow' },
      }).action,
    ).toBe('allow');
  });
});

describe('readLicencePolicy', () => {
  it('keeps the valid parts of a policy and reports the rest', () => {
    const { policy, problems } = readLicencePolicy({
      distribution: 'saas',
      categories: { 'non-commercial': 'deny', bogus: 'allow' },
      licences: { mit: 'yes' },
      missing: 'deny',
    });
    expect(policy).toEqual({
      categories: { 'non-commercial': 'deny' },
      licences: {},
      missing: 'deny',
    });
    expect(problems).toHaveLength(3);
  });
});

describe('production licence defaults', () => {
  it.each([
    ['cc-by-nc-4.0', 'deny'],
    ['cc-by-nc-sa-4.0', 'deny'],
    ['AGPL-3.0-only', 'deny'],
    ['apache-2.0', 'allow'],
  ])('a production entity gets %s: %s by default', (licence, action) => {
    expect(
      evaluateLicence(licence, readLicencePolicy({ production: true }).policy)
        .action,
    ).toBe(action);
  });

  it('outside production the same licences are reviewed, not denied', () => {
    expect(evaluateLicence('cc-by-nc-4.0', {}).action).toBe('review');
    expect(evaluateLicence('AGPL-3.0-only', {}).action).toBe('review');
  });

  it('reads production from a catalog lifecycle, and internal-only AGPL stays allowed', () => {
    expect(
      readLicencePolicy({ lifecycle: 'production' }).policy.production,
    ).toBe(true);
    expect(
      evaluateLicence(
        'AGPL-3.0-only',
        readLicencePolicy({ production: true, distribution: 'internal' })
          .policy,
      ).action,
    ).toBe('allow');
  });

  it('fail_on_missing_license denies what declares no licence', () => {
    const { policy, problems } = readLicencePolicy({
      fail_on_missing_license: true,
    });
    expect(problems).toEqual([]);
    expect(evaluateLicence(undefined, policy)).toMatchObject({
      action: 'deny',
      missing: true,
    });
    expect(
      readLicencePolicy({ fail_on_missing_license: 'yes' }).problems,
    ).toHaveLength(1);
  });
});
