import { csvField, csvRow } from './csv';

describe('csv', () => {
  it('quotes fields with separators, quotes and line breaks', () => {
    expect(
      csvRow(['plain', 'a,b', 'say "hi"', 'two\nlines', undefined, 3]),
    ).toBe('plain,"a,b","say ""hi""","two\nlines",,3');
  });

  it('defuses spreadsheet formulas', () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe(
      `"'=HYPERLINK(""http://evil"")"`,
    );
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-')).toBe("'-");
  });
});
