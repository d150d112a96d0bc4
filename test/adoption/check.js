#!/usr/bin/env node
// @ts-check
// Opens an entity page of the adopter's app in Debian Chromium and waits for the ML Governance card
// to show a release decision.   node check.js <entity page url> <screenshot.png>
// @playwright/test re-exports playwright-core's launcher (the workspace's declared dependency).
const { chromium } = require('@playwright/test');

const [url, screenshot] = process.argv.slice(2);

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage();
  try {
    await page.goto(url, { timeout: 120_000 });
    // create-app's guest sign-in page comes first; the dev bundle can take a while to load.
    const heading = page
      .getByRole('heading', { name: 'Adoption encoder' })
      .first();
    const enter = page.getByRole('button', { name: 'Enter' });
    await enter.or(heading).first().waitFor({ timeout: 180_000 });
    if (await enter.isVisible()) await enter.click();
    await heading.waitFor({ timeout: 120_000 });
    const card = page.getByTestId('ml-governance-card');
    await card.getByText('ML Governance').first().waitFor({ timeout: 60_000 });
    // The first scan runs a second after start-up; the card then shows the decision (PASS, TICKET or
    // BLOCK) instead of 'Not scanned yet'. The card fetches its summary once, so reload until then.
    let text = '';
    for (let attempt = 0; attempt < 12; attempt++) {
      await page.waitForTimeout(5_000);
      text = await card.innerText().catch(() => '');
      if (/\b(PASS|TICKET|BLOCK)\b/.test(text)) break;
      await page.reload();
    }
    if (!/\b(PASS|TICKET|BLOCK)\b/.test(text)) {
      throw new Error(
        `the card shows no release decision: ${JSON.stringify(text)}`,
      );
    }
    console.log(
      `ML Governance card: ${text
        .split('\n')
        .filter(Boolean)
        .slice(0, 6)
        .join(' | ')}`,
    );
  } finally {
    await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
    await browser.close();
  }
})().catch(error => {
  console.error(
    `adoption check failed: ${error.message}\n(screenshot: ${screenshot})`,
  );
  process.exitCode = 1;
});
