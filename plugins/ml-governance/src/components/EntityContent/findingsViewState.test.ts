import {
  DEFAULT_VIEW,
  parseFindingsView,
  toggleSort,
  writeFindingsView,
} from './findingsViewState';

describe('findings view state in the URL', () => {
  it('round-trips every field through the query string', () => {
    const view = {
      filters: {
        status: 'accepted' as const,
        severities: ['high' as const, 'low' as const],
        ruleId: 'DEP-TYPOSQUAT',
        search: 'torch & co',
      },
      page: 3,
      pageSize: 100,
      orderBy: 'firstSeenAt' as const,
      order: 'asc' as const,
    };
    const params = writeFindingsView(view, new URLSearchParams());
    expect(parseFindingsView(new URLSearchParams(params.toString()))).toEqual(
      view,
    );
  });

  it('writes nothing for the default view and keeps parameters that are not its own', () => {
    const params = writeFindingsView(
      DEFAULT_VIEW,
      new URLSearchParams('tab=x&page=4'),
    );
    expect(params.toString()).toBe('tab=x');
  });

  it('falls back to defaults for hostile or unknown values instead of passing them on', () => {
    const view = parseFindingsView(
      new URLSearchParams({
        status: 'pwned',
        severity: 'critical,__proto__,critical',
        page: '-1',
        size: '100000',
        sort: 'id; DROP TABLE',
        order: 'sideways',
        q: 'x'.repeat(10_000),
      }),
    );
    expect(view.filters.status).toBe('open');
    expect(view.filters.severities).toEqual(['critical']);
    expect(view.page).toBe(0);
    expect(view.pageSize).toBe(25);
    expect(view.orderBy).toBe('severity');
    expect(view.order).toBe('desc');
    expect(view.filters.search).toHaveLength(200);
  });

  it('starts a new sort column at its natural order and flips the current one', () => {
    const byRule = toggleSort({ ...DEFAULT_VIEW, page: 5 }, 'ruleId');
    expect(byRule).toMatchObject({ orderBy: 'ruleId', order: 'asc', page: 0 });
    expect(toggleSort(byRule, 'ruleId').order).toBe('desc');
    expect(toggleSort(byRule, 'lastSeenAt').order).toBe('desc');
  });
});
