// Stale-import reports: listing, generating, reading and exporting them.
import { NotFoundError } from '@backstage/errors';
import {
  mlGovernanceReportCreatePermission,
  mlGovernanceReportReadPermission,
} from '@ml-governance/plugin-ml-governance-common';
import { StaleImportReportService } from '../../reports/StaleImportReportService';
import { publicView } from '../publicView';
import { idFromParams, parseEntityRefInput } from '../requestGuards';
import {
  emptyBody,
  noQuery,
  parseInput,
  reportExportQuery,
  reportQuery,
} from '../requestSchemas';
import type {
  AnyRequest,
  MlGovernanceRouter,
  RouteContext,
} from './routeContext';

export function registerStaleImportReportRoutes(
  router: MlGovernanceRouter,
  context: RouteContext,
): void {
  const { store, reports, requireBasic, audited, send } = context;

  router.get('/reports/stale-imports', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    await requireBasic(req, mlGovernanceReportReadPermission);
    send(res, await store.listReports());
  });

  router.post('/reports/stale-imports', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    parseInput(emptyBody, req.body, 'body');
    const meta = await audited(
      req,
      'stale-import-report-generate',
      {},
      async () => {
        await requireBasic(req, mlGovernanceReportCreatePermission);
        return reports.generate('manual');
      },
    );
    send(res, meta, 201);
  });

  async function readReport(req: AnyRequest) {
    const id = idFromParams(req.params, { allowLatest: true });
    await requireBasic(req, mlGovernanceReportReadPermission);
    const report = await store.getReport(id);
    if (!report) throw new NotFoundError(`No stale-import report ${id}`);
    return report;
  }

  const ownerFilter = (owner: string | undefined) =>
    owner === undefined ? undefined : parseEntityRefInput(owner, 'query.owner');

  router.get('/reports/stale-imports/:id', async (req, res) => {
    const { owner } = parseInput(reportQuery, req.query, 'query');
    send(
      res,
      StaleImportReportService.forOwner(
        await readReport(req),
        ownerFilter(owner),
      ),
    );
  });

  router.get('/reports/stale-imports/:id/export', async (req, res) => {
    const { format, owner } = parseInput(reportExportQuery, req.query, 'query');
    const report = publicView(
      StaleImportReportService.forOwner(
        await readReport(req),
        ownerFilter(owner),
      ),
    );
    const filename = `stale-imports-${report.period}-${report.id.slice(
      0,
      8,
    )}.${format}`;
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    if (format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .send(StaleImportReportService.toCsv(report));
    } else {
      res.type('application/json').send(JSON.stringify(report, null, 2));
    }
  });
}
