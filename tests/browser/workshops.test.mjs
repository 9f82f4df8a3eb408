// Workshops, end to end in a real browser (issue 9): a coach plans a workshop for tomorrow, two
// entrepreneurs (one on a phone) register themselves, the coach moves it to this morning, records
// who came for the half-day, and downloads the attendance sheet to sign.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ACCOUNTS, COOP, startApp, launchBrowser, newContext, newPage, navigation, signIn, checkA11y, assertH1, assertNoProblems, screenshot, visit } from './helpers.mjs';

const PHONE = { width: 360, height: 740 };
const TITLE = 'Atelier navigateur : fixer ses prix';

let app;
let browser;
let workshopUrl;

before(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

/** A day in the cooperative's time zone, `YYYY-MM-DD`, `offset` days from today. */
function parisDay(offset) {
  const at = new Date(Date.now() + offset * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(at);
}

describe('a workshop from planning to the signed sheet', () => {
  it('a coach plans a workshop', async (t) => {
    const context = await newContext(browser);
    const page = await newPage(context);
    try {
      await signIn(page, app.base, ACCOUNTS.coaching);
      await visit(page, app.base, COOP);
      await navigation(page, () => page.getByRole('link', { name: 'Ateliers', exact: true }).first().click());
      await navigation(page, () => page.getByRole('link', { name: 'Nouvel atelier' }).click());
      await assertH1(page, 'the workshop form');
      await checkA11y(page, 'the workshop form', t);
      await page.getByLabel('Intitulé').fill(TITLE);
      await page.getByLabel('Date').fill(parisDay(1));
      await page.getByLabel('Début').fill('09:30');
      await page.getByLabel(/^Fin\b/).fill('12:30');
      await page.getByLabel('Salle ou adresse').fill('Salle 3, 12 rue Pasteur');
      await page.getByLabel('Places').fill('2');
      await navigation(page, () => page.getByRole('button', { name: 'Enregistrer' }).click());
      await page.getByText('Atelier enregistré.').waitFor();
      workshopUrl = new URL(page.url()).pathname;
      assert.match(workshopUrl, /\/workshops\/\d+$/);
      assertNoProblems(page);
    } finally {
      await context.close();
    }
  });

  for (const [who, viewport] of [['entrepreneur', PHONE], ['member', null]]) {
    it(`${who} registers from the list of workshops`, async (t) => {
      assert.ok(workshopUrl, 'the workshop was planned');
      const context = await newContext(browser, viewport ? { viewport } : {});
      const page = await newPage(context);
      try {
        await signIn(page, app.base, ACCOUNTS[who]);
        await visit(page, app.base, `${COOP}/workshops`);
        await checkA11y(page, `the workshops of ${who}`, t);
        await navigation(page, () => page.getByRole('link', { name: TITLE }).click());
        await navigation(page, () => page.getByRole('button', { name: "M'inscrire" }).click());
        await page.getByText('Vous êtes inscrit·e.').waitFor();
        await checkA11y(page, `a workshop ${who} registered for`, t);
        if (viewport) {
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(width <= PHONE.width, `the workshop scrolls sideways (${width}px)`);
          await screenshot(page, 'workshop-registered-phone');
        }
        assertNoProblems(page);
      } finally {
        await context.close();
      }
    });
  }

  it('the coach records attendance on the day and downloads the sheet', async (t) => {
    assert.ok(workshopUrl, 'the workshop was planned');
    const context = await newContext(browser, { acceptDownloads: true });
    const page = await newPage(context);
    try {
      await signIn(page, app.base, ACCOUNTS.coaching);
      // The session is brought forward to this morning, so that its day has come.
      await visit(page, app.base, `${workshopUrl}/edit`);
      await page.getByLabel('Date').fill(parisDay(0));
      await page.getByLabel('Début').fill('00:00');
      await page.getByLabel(/^Fin\b/).fill('00:30');
      await navigation(page, () => page.getByRole('button', { name: 'Enregistrer' }).click());
      await page.getByText('Atelier enregistré.').waitFor();
      await page.getByText('2 inscrit·es sur 2 places, 0 en attente').first().waitFor();
      await checkA11y(page, 'the workshop of the coach', t);
      const boxes = page.getByRole('checkbox', { name: 'Matin' });
      assert.equal(await boxes.count(), 2, 'one box per person for the morning');
      await boxes.first().check();
      await navigation(page, () => page.getByRole('button', { name: 'Enregistrer les présences' }).click());
      await page.getByText('Présences enregistrées.').waitFor();
      assert.equal(await page.getByRole('checkbox', { name: 'Matin' }).first().isChecked(), true);
      assert.equal(await page.getByRole('checkbox', { name: 'Matin' }).nth(1).isChecked(), false);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: "Feuille d'émargement (PDF)" }).click(),
      ]);
      assert.match(download.suggestedFilename(), /^emargement-atelier-\d+\.pdf$/);
      const pdf = readFileSync(await download.path());
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      await screenshot(page, 'workshop-attendance');
      assertNoProblems(page);
    } finally {
      await context.close();
    }
  });
});
