import { matchOsvRecord } from './matcher';
import type { OsvRecord } from './osvRecord';
import {
  MALICIOUS,
  TORCH_RCE,
  TRANSFORMERS_LAST_AFFECTED,
  WITHDRAWN,
} from './__fixtures__/advisories';

const range = (events: object[], name = 'pkg'): OsvRecord => ({
  id: 'T-1',
  affected: [
    {
      package: { ecosystem: 'PyPI', name },
      ranges: [{ type: 'ECOSYSTEM', events }],
    },
  ],
});

describe('matchOsvRecord', () => {
  it.each([
    ['2.5.1', true],
    ['2.5.1+cu121', true], // local label ignored
    ['2.6.0rc1', true], // a pre-release of the fix is still before it
    ['2.6.0', false],
    ['2.6.0+cpu', false],
    ['2.6.0.post1', false],
    ['1!0.1', false], // a later epoch is past every fix
  ])('torch %s affected by the weights_only RCE: %s', (version, affected) => {
    expect(matchOsvRecord(TORCH_RCE, 'torch', version).affected).toBe(affected);
  });

  it('names the lowest fix above the version', () => {
    const record = range([
      { introduced: '0' },
      { fixed: '1.2.1' },
      { introduced: '2.0' },
      { fixed: '2.0.3' },
    ]);
    expect(matchOsvRecord(record, 'pkg', '1.0')).toEqual({
      affected: true,
      fixedIn: '1.2.1',
    });
    expect(matchOsvRecord(record, 'pkg', '1.5')).toEqual({
      affected: false,
      fixedIn: undefined,
    });
    expect(matchOsvRecord(record, 'pkg', '2.0.dev1')).toMatchObject({
      affected: false,
    }); // dev release sorts before 2.0
    expect(matchOsvRecord(record, 'pkg', '2.0.2')).toEqual({
      affected: true,
      fixedIn: '2.0.3',
    });
  });

  it('includes last_affected and uses PEP 503 names', () => {
    expect(
      matchOsvRecord(TRANSFORMERS_LAST_AFFECTED, 'transformers', '4.36.2')
        .affected,
    ).toBe(true);
    expect(
      matchOsvRecord(TRANSFORMERS_LAST_AFFECTED, 'transformers', '4.36.2.post1')
        .affected,
    ).toBe(false);
    expect(
      matchOsvRecord(TRANSFORMERS_LAST_AFFECTED, 'transformers', '4.29.9')
        .affected,
    ).toBe(false);
  });

  it('matches exact versions[] lists and normalises names', () => {
    expect(
      matchOsvRecord(MALICIOUS, 'huggingface-hubb', '0.1.0').affected,
    ).toBe(true);
    expect(matchOsvRecord(MALICIOUS, 'huggingface-hubb', '0.3').affected).toBe(
      false,
    );
  });

  it('sorts unordered events and ignores other ecosystems, withdrawn records and unparseable versions', () => {
    expect(
      matchOsvRecord(
        range([{ fixed: '3.0' }, { introduced: '2.0' }]),
        'pkg',
        '2.5',
      ).affected,
    ).toBe(true);
    expect(
      matchOsvRecord(range([{ introduced: '0' }], 'pkg'), 'other', '1.0')
        .affected,
    ).toBeUndefined();
    expect(
      matchOsvRecord(
        {
          id: 'X',
          affected: [
            { package: { ecosystem: 'npm', name: 'pkg' }, versions: ['1.0'] },
          ],
        },
        'pkg',
        '1.0',
      ).affected,
    ).toBeUndefined();
    expect(matchOsvRecord(WITHDRAWN, 'numpy', '1.0').affected).toBe(false);
    expect(
      matchOsvRecord(TORCH_RCE, 'torch', 'not-a-version').affected,
    ).toBeUndefined();
  });
});
