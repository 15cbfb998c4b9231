import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { shots, useDemo } from '../helpers/demo-run';
import type { Page } from 'playwright-core';
import { openOutboxWithSignInLink } from '../helpers/browser';

const demo = useDemo('invoices');

/** Clicks a download button and returns the downloaded PDF's name and text. */
async function downloadPdf(page: Page): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /PDF/ }).click(),
  ]);
  const file = join(demo.dir, `${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(file);
  return {
    name: download.suggestedFilename(),
    text: execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[ \t]+/g, ' '),
  };
}

describe('invoices in the demo shop', () => {
  test('a newcomer downloads an invoice in German, corrects the business name and downloads revision 2', async () => {
    const context = await demo.browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(demo.url);
    await page.getByLabel('Email address').fill('ada@example.com');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    await openOutboxWithSignInLink(page, demo.server.url);
    await page.locator('a[href*="portal_token="]').first().click();
    await page.getByRole('link', { name: /NW-/ }).first().click();

    const invoice = page
      .locator('[part~="card"]')
      .filter({ has: page.getByRole('heading', { name: /^Invoice NW-\d{4}-\d{6}/ }) });
    await invoice.waitFor();
    const number = /NW-\d{4}-\d{6}/.exec((await invoice.getByRole('heading').first().textContent())!)![0];
    await invoice.getByLabel('Language of the PDF').selectOption('de');
    const first = await downloadPdf(page);
    assert.equal(first.name, `${number}.pdf`);
    assert.ok(first.text.includes('Rechnung') && first.text.includes(`Rechnungsnummer ${number}`), first.text);
    assert.ok(!first.text.includes('Korrektur'));

    await invoice.getByRole('button', { name: 'Correct billing details' }).click();
    await invoice.getByLabel('Business name').fill('Analytical Engines Ltd');
    await invoice.getByLabel('This was a business purchase').check();
    await invoice.getByRole('button', { name: 'Save correction' }).click();
    await invoice.getByRole('status').filter({ hasText: 'revision 2' }).waitFor();
    await page.screenshot({ path: join(shots, 'invoice-corrected.png'), fullPage: true });

    const second = await downloadPdf(page);
    assert.ok(second.text.includes('Korrektur 2') && second.text.includes('Analytical Engines Ltd'), second.text);
    assert.ok(second.text.includes(number), 'the same number');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
