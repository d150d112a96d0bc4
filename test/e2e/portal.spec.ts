import { test, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Screenshots land in a git-ignored folder so a reviewer can look at what a person would see. */
const SCREENSHOTS = join(__dirname, '..', '..', '.e2e-screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

async function signInAsGuest(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click();
}

/** Navigates inside the single-page app (a full reload would show the sign-in page again). */
async function navigate(page: Page, path: string) {
  await page.evaluate(to => {
    window.history.pushState({}, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

test('a guest finds an example model in the catalog and sees the ML Governance card', async ({
  page,
}) => {
  await signInAsGuest(page);
  await expect(
    page.getByRole('link', { name: 'Catalog' }).first(),
  ).toBeVisible();

  // The catalog lists components by default; switch the kind filter to Resource (models).
  // The catalog index is the home page (app-config.yaml mounts page:catalog at /).
  await navigate(page, '/?filters[kind]=resource&filters[user]=all');
  const modelLink = page.getByRole('link', { name: 'Fraud scorer (PyTorch)' });
  await expect(modelLink).toBeVisible();
  await modelLink.click();

  await expect(
    page.getByRole('heading', { name: 'Fraud scorer (PyTorch)' }).first(),
  ).toBeVisible();
  const card = page.getByTestId('ml-governance-card');
  await expect(card).toBeVisible();
  await expect(card.getByText('ML Governance')).toBeVisible();
  await page.screenshot({
    path: join(SCREENSHOTS, 'model-page-card.png'),
    fullPage: true,
  });
});
