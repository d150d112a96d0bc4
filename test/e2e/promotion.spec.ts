import { test, expect, type Browser, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { join } from 'node:path';

/**
 * Artifact promotion in a real browser against the running portal: an owner (alice) requests the
 * promotion of the safetensors encoder's current version, an approver (bob) gives the security
 * sign-off from the approvals inbox, another owner (erin) gives the owner sign-off on the entity tab,
 * and the CI gate (`mlgov gate --digest`, with the gate-only token of app-config.e2e.yaml) flips from
 * "not promoted" (exit 20) to PASS (exit 0).
 */
const ENTITY_TAB =
  '/catalog/default/resource/fraud-feature-encoder/ml-governance';
const ENTITY_REF = 'resource:default/fraud-feature-encoder';
const MLGOV = join(
  __dirname,
  '..',
  '..',
  'packages',
  'scanner',
  'bin',
  'mlgov',
);
const BASE_URL = process.env.PLAYWRIGHT_URL ?? 'http://localhost:7007';

async function pageAs(browser: Browser, user: string): Promise<Page> {
  const context = await browser.newContext({
    extraHTTPHeaders: { 'x-forwarded-user': user },
  });
  return context.newPage();
}

function gate(digest: string): Promise<{ code: number; stdout: string }> {
  return new Promise(resolve => {
    execFile(
      process.execPath,
      [MLGOV, 'gate', ENTITY_REF, '--digest', digest, '--url', BASE_URL],
      {
        env: { ...process.env, MLGOV_TOKEN: 'e2e-gate-token-0123456789' },
        timeout: 60_000,
      },
      (error, stdout) =>
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          stdout,
        }),
    );
  });
}

/** The current version of the encoder once a scan evaluated it (reloads until the card shows it). */
async function currentVersion(page: Page) {
  const item = page
    .getByTestId('ml-governance-version')
    .filter({ hasText: 'current' });
  await expect(async () => {
    await page.goto(ENTITY_TAB);
    await expect(
      item.getByTestId('ml-governance-version-stage'),
    ).toHaveAttribute('data-stage', /^(evaluated|promoted)$/, {
      timeout: 5_000,
    });
  }).toPass({ timeout: 120_000, intervals: [2_000] });
  return item;
}

async function submitDialog(page: Page, title: string, text: string) {
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.getByRole('textbox').fill(text);
  await dialog.getByRole('button', { name: 'Submit' }).click();
  await expect(dialog).toHaveCount(0);
}

test('an owner and an approver promote a version; the CI gate flips to PASS', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const alice = await pageAs(browser, 'alice');
  let item = await currentVersion(alice);
  const digest = (await item.getAttribute('data-digest'))!;
  expect(digest).toMatch(/^files:[0-9a-f]{64}$/);

  const before = await gate(digest);
  expect(before.code).toBe(20);
  expect(before.stdout).toContain('(evaluated)');

  // The owner requests the promotion.
  await item.getByText(digest).click();
  await item.getByRole('button', { name: 'Request promotion' }).click();
  await submitDialog(alice, 'Request promotion', 'Functional tests green');
  await expect(item.getByText(/Promotion requested by alice/)).toBeVisible();
  // The requester is offered no sign-off.
  await expect(item.getByRole('button', { name: /Sign off/ })).toHaveCount(0);

  // The approver signs the scan results from the approvals inbox.
  const bob = await pageAs(browser, 'bob');
  await bob.goto('/ml-governance/approvals');
  await bob.getByRole('tab', { name: 'Inbox' }).click();
  const pending = bob
    .getByTestId('ml-governance-approvals-inbox')
    .getByTestId('ml-governance-version')
    .filter({ hasText: digest });
  await pending.getByRole('button', { name: 'Sign off (security)' }).click();
  await submitDialog(bob, 'Security sign-off', 'Scan results reviewed');
  await expect(pending).toHaveCount(0);

  expect((await gate(digest)).code).toBe(20);

  // Another owner signs the functional testing on the entity tab: the version is promoted.
  const erin = await pageAs(browser, 'erin');
  item = await currentVersion(erin);
  await item.getByText(digest).click();
  await item.getByRole('button', { name: 'Sign off (owner)' }).click();
  await submitDialog(erin, 'Owner sign-off', 'Offline evaluation matches');
  await expect(item.getByTestId('ml-governance-version-stage')).toHaveAttribute(
    'data-stage',
    'promoted',
  );
  await expect(item.getByTestId('ml-governance-sign-off')).toHaveCount(2);

  const after = await gate(digest);
  expect(after.code).toBe(0);
  expect(after.stdout).toContain('PASS (promoted)');
});
