import { test, expect, type Browser, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The risk-acceptance lifecycle in a real browser against the running portal and its example catalog:
 * an owner (alice, fraud-detection) requests an acceptance on a blocked model, an approver (bob,
 * ml-security) approves it, and the owner's card shows the new decision. Users sign in through the
 * oauth2Proxy provider from the `x-forwarded-user` header each browser context sends
 * (app-config.e2e.yaml).
 */
const SCREENSHOTS = join(__dirname, '..', '..', '.e2e-screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

const MODEL_PAGE = '/catalog/default/resource/fraud-scorer-model';

async function pageAs(browser: Browser, user: string): Promise<Page> {
  const context = await browser.newContext({
    extraHTTPHeaders: { 'x-forwarded-user': user },
  });
  return context.newPage();
}

/** The first scan round runs shortly after start-up; reload until the card shows a decision. */
async function waitForDecision(page: Page, decision: RegExp): Promise<void> {
  await expect(async () => {
    await page.goto(MODEL_PAGE);
    await expect(page.getByTestId('ml-governance-decision')).toHaveAttribute(
      'data-decision',
      decision,
      {
        timeout: 5_000,
      },
    );
  }).toPass({ timeout: 120_000, intervals: [2_000] });
}

test('owner requests, approver approves, the card shows the new decision', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const owner = await pageAs(browser, 'alice');
  await waitForDecision(owner, /^BLOCK$/);
  const card = owner.getByTestId('ml-governance-card');
  await card.screenshot({ path: join(SCREENSHOTS, 'card-blocked.png') });

  // The entity tab lists the blocking finding with its evidence.
  await card.getByRole('link', { name: 'View findings and history' }).click();
  const findings = owner.getByRole('table', { name: 'Findings' });
  const execRow = findings
    .getByTestId('ml-governance-finding-row')
    .filter({ hasText: 'PICKLE-EXEC' });
  await expect(execRow).toBeVisible();
  await expect(execRow).toContainText('os.system');
  await owner.screenshot({
    path: join(SCREENSHOTS, 'entity-tab.png'),
    fullPage: true,
  });

  // Request an acceptance for it.
  await execRow.getByRole('button', { name: 'Request acceptance' }).click();
  const dialog = owner.getByRole('dialog', { name: 'Request risk acceptance' });
  await dialog
    .getByRole('textbox', { name: 'Justification' })
    .fill(
      'The scorer is isolated in a sandbox without network until the safetensors export ships.',
    );
  await dialog
    .getByRole('radiogroup', { name: /in active use/ })
    .getByRole('radio', { name: 'Yes' })
    .check();
  await dialog
    .getByRole('radiogroup', { name: /safer alternative available/ })
    .getByRole('radio', { name: 'Yes' })
    .check();
  await dialog
    .getByRole('textbox', { name: 'Plan for the safer alternative' })
    .fill('Export to safetensors next sprint.');
  await dialog
    .getByRole('radiogroup', { name: /trusted and its hash pinned/ })
    .getByRole('radio', { name: 'Yes' })
    .check();
  const expiry = new Date(Date.now() + 30 * 24 * 3600 * 1000)
    .toISOString()
    .slice(0, 10);
  await dialog.getByLabel('Expires on (UTC)').fill(expiry);
  await dialog.screenshot({ path: join(SCREENSHOTS, 'request-dialog.png') });
  await dialog.getByRole('button', { name: 'Submit request' }).click();
  await expect(dialog.getByText('Request sent')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The requester never sees decide buttons on their own request.
  await owner.goto('/ml-governance/approvals');
  await expect(owner.getByTestId('ml-governance-approvals-page')).toBeVisible();
  await expect(owner.getByTestId('ml-governance-approve')).toHaveCount(0);

  // The approver decides.
  const approver = await pageAs(browser, 'bob');
  await approver.goto('/ml-governance/approvals');
  const item = approver
    .getByTestId('ml-governance-acceptance-item')
    .filter({ hasText: 'fraud-scorer-model' });
  await expect(item).toBeVisible();
  await approver.screenshot({
    path: join(SCREENSHOTS, 'approvals-queue.png'),
    fullPage: true,
  });
  await item.getByTestId('ml-governance-approve').click();
  const decide = approver.getByRole('dialog', {
    name: 'Approve risk acceptance',
  });
  await decide
    .getByRole('textbox', { name: 'Comment' })
    .fill('Sandboxed; re-check at expiry.');
  await decide.getByRole('button', { name: 'Confirm approval' }).click();
  await expect(item).toHaveCount(0);

  // The owner's card no longer blocks.
  await waitForDecision(owner, /^(PASS|TICKET)$/);
  await owner
    .getByTestId('ml-governance-card')
    .screenshot({ path: join(SCREENSHOTS, 'card-after-approval.png') });
});

test('team dashboard and stale-import report render for the example org', async ({
  browser,
}) => {
  const lead = await pageAs(browser, 'alice');
  await lead.goto('/ml-governance/teams/default/fraud-detection');
  const dashboard = lead.getByTestId('ml-governance-team-dashboard');
  await expect(dashboard).toBeVisible();
  await expect(
    dashboard
      .getByRole('link', { name: /fraud-scorer-model|Fraud scorer/ })
      .first(),
  ).toBeVisible();
  await lead.screenshot({
    path: join(SCREENSHOTS, 'team-dashboard.png'),
    fullPage: true,
  });

  await lead.goto('/ml-governance/reports');
  const reports = lead.getByTestId('ml-governance-reports-page');
  await expect(reports).toBeVisible();
  await reports.getByRole('button', { name: 'Generate now' }).click();
  await expect(
    reports.getByTestId('ml-governance-report-csv').first(),
  ).toBeVisible();
  await lead.screenshot({
    path: join(SCREENSHOTS, 'stale-import-report.png'),
    fullPage: true,
  });
});
