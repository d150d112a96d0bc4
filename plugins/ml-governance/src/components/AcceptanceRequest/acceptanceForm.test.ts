import { englishT } from '../../__testUtils__/englishT';
import { finding } from '../../__testUtils__/fixtures';
import {
  AcceptanceForm,
  initialAcceptanceForm,
  toAcceptanceRequest,
  validateAcceptanceForm,
} from './acceptanceForm';

const today = new Date('2026-11-25T14:00:00Z');
const valid: AcceptanceForm = {
  justification:
    'The legacy scorer loads this pickle until the Q1 retrain ships.',
  inActiveUse: true,
  saferAlternativeAvailable: false,
  saferAlternativePlan: '',
  sourceTrustedAndHashPinned: true,
  expiresOn: '2027-01-15',
};

describe('validateAcceptanceForm', () => {
  it('defaults the expiry to 90 days out and leaves the questions unanswered', () => {
    const form = initialAcceptanceForm(today);
    expect(form.expiresOn).toBe('2027-02-23');
    expect(validateAcceptanceForm(englishT, form, today)).toEqual({
      justification: expect.any(String),
      inActiveUse: 'Answer this question.',
      saferAlternativeAvailable: 'Answer this question.',
      sourceTrustedAndHashPinned: 'Answer this question.',
    });
  });

  it('accepts a complete form', () => {
    expect(validateAcceptanceForm(englishT, valid, today)).toEqual({});
  });

  it('asks for a justification long enough to review', () => {
    expect(
      validateAcceptanceForm(
        englishT,
        { ...valid, justification: '  legacy   ' },
        today,
      ).justification,
    ).toBe('Write at least 30 characters (6 so far).');
  });

  it('requires a plan when a safer alternative exists', () => {
    const errors = validateAcceptanceForm(
      englishT,
      { ...valid, saferAlternativeAvailable: true },
      today,
    );
    expect(errors.saferAlternativePlan).toMatch(/plan/);
  });

  it('limits the expiry to the future and to 180 days', () => {
    expect(
      validateAcceptanceForm(
        englishT,
        { ...valid, expiresOn: '2026-11-25' },
        today,
      ).expiresOn,
    ).toMatch(/future/);
    expect(
      validateAcceptanceForm(
        englishT,
        { ...valid, expiresOn: '2027-05-24' },
        today,
      ),
    ).toEqual({});
    expect(
      validateAcceptanceForm(
        englishT,
        { ...valid, expiresOn: '2027-05-25' },
        today,
      ).expiresOn,
    ).toBe('At most 180 days from today (2027-05-24 or earlier).');
    expect(
      validateAcceptanceForm(englishT, { ...valid, expiresOn: '' }, today)
        .expiresOn,
    ).toMatch(/Choose/);
  });
});

describe('toAcceptanceRequest', () => {
  it('names the finding by fingerprint and ends the acceptance at 00:00 UTC of the chosen day', () => {
    expect(
      toAcceptanceRequest(
        'resource:default/m',
        { kind: 'finding', finding: finding(7) },
        valid,
      ),
    ).toEqual({
      entityRef: 'resource:default/m',
      fingerprint: 'fp-7',
      justification: valid.justification,
      checklist: {
        inActiveUse: true,
        saferAlternativeAvailable: false,
        sourceTrustedAndHashPinned: true,
      },
      expiresAt: '2027-01-15T00:00:00.000Z',
    });
  });

  it('names the rule for a rule-wide request and keeps the plan', () => {
    const request = toAcceptanceRequest(
      'resource:default/m',
      { kind: 'rule', ruleId: 'PICKLE-GLOBAL' },
      {
        ...valid,
        saferAlternativeAvailable: true,
        saferAlternativePlan: ' safetensors in Q1 ',
      },
    );
    expect(request.ruleId).toBe('PICKLE-GLOBAL');
    expect(request.fingerprint).toBeUndefined();
    expect(request.checklist.saferAlternativePlan).toBe('safetensors in Q1');
  });
});
