// Pay, end to end in a real browser (issue 6): an entrepreneur opens their activity account on a
// phone — the waterfall, the months, a figure opening its lines and a line its invoice, the
// forecast — then tries a scenario in the simulator from it; the payroll team prepares the month,
// locks it and downloads the export for the payroll bureau; the support team reads the overview.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS, COOP, startApp, launchBrowser, newContext, newPage, navigation, signIn, checkA11y, assertH1, assertNoProblems, screenshot, visit } from './helpers.mjs';

const PHONE = { width: 360, height: 740 };
const MONEY = /^-?\d[\d\u202f]*,\d\d\u00a0€$/;

let app;
let browser;

before(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

/** Fails when the page scrolls sideways on the phone. */
async function assertFits(page, label) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= PHONE.width, `${label} scrolls sideways at ${PHONE.width}px (${scrollWidth}px)`);
}

/** Euros as a number from `1 234,56 €`. */
function euros(text) {
  return Number(text.replace(/[\s\u202f\u00a0€]/g, '').replace(',', '.'));
}

describe('an entrepreneur and their activity account, on a phone', () => {
  it('reads what is available, opens the lines behind a figure, and tries a scenario', async (t) => {
    const context = await newContext(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await newPage(context);
    try {
      await signIn(page, app.base, ACCOUNTS.entrepreneur);
      await visit(page, app.base, `${COOP}/activities`);
      await navigation(page, () => page.locator('main table a').first().click());
      await navigation(page, () => page.getByRole('link', { name: "Compte d'activité", exact: true }).click());
      assert.match(await assertH1(page, 'activity account'), /^Compte d'activité — /);
      const now = page.getByRole('region', { name: "Disponible aujourd'hui" });
      assert.match((await now.locator('p.big').textContent()).trim(), MONEY);
      // The waterfall is drawn on the server and described for screen readers.
      const chart = page.getByRole('img', { name: /Du chiffre d'affaires hors taxes/ });
      assert.equal(await chart.locator('rect').count(), await chart.locator('g').count());
      assert.ok((await chart.locator('rect').count()) >= 5);
      // The forecast and the salary it sustains.
      const forecast = page.getByRole('region', { name: "Prévision à la fin de l'exercice" });
      assert.match(await forecast.locator('dd').last().textContent(), /€/);
      await assertFits(page, 'activity account');
      await checkA11y(page, 'activity account on a phone', t);
      await screenshot(page, 'activity-account-phone');

      // A month's revenue opens its lines; a line opens its invoice.
      const months = page.getByRole('region', { name: 'Mois par mois' });
      const revenue = months.locator('tbody tr td:nth-child(2) a').filter({ hasNotText: /^0,00/ }).first();
      const figure = euros(await revenue.textContent());
      let res = await navigation(page, () => revenue.click());
      assert.equal(res.status(), 200);
      assert.match(await page.getByRole('status').first().textContent(), /Seulement : Chiffre d'affaires HT/);
      const lines = page.getByRole('region', { name: 'Le détail' });
      const amounts = await lines.locator('tbody td.num').allTextContents();
      assert.ok(amounts.length > 0);
      const sum = amounts.map(euros).reduce((a, b) => a + b, 0);
      assert.equal(Math.round(sum * 100), Math.round(figure * 100), 'the lines add up to the figure');
      res = await navigation(page, () => lines.locator('tbody a').first().click());
      assert.equal(res.status(), 200);
      assert.match(await assertH1(page, 'invoice from the account'), /Facture/);
      await page.goBack({ waitUntil: 'load' });

      // What if I bill 20,000 € more? The simulator opens with the forecast filled in.
      await navigation(page, () => page.getByRole('link', { name: /^Et si… \?/ }).click());
      assert.equal(await assertH1(page, 'simulator from the account'), 'Simulateur de salaire');
      const available = page.getByLabel(/^Disponible prévu/);
      const before = euros(await available.inputValue());
      await available.fill((before + 20000).toFixed(2).replace('.', ','));
      res = await navigation(page, () => page.getByRole('button', { name: 'Calculer le salaire possible' }).click());
      const plan = page.getByRole('region', { name: 'Quel salaire puis-je me verser ?' });
      if (before + 20000 > 0) {
        assert.equal(res.status(), 200);
        assert.match((await plan.locator('dd').first().textContent()).trim(), MONEY);
      } else {
        // Still nothing to pay: said, not computed.
        assert.equal(res.status(), 422);
      }
      await assertFits(page, 'scenario');
      assertNoProblems(page);
    } finally {
      await context.close();
    }
  });
});

describe('the payroll team prepares the month', () => {
  it('reviews a person, locks the month and downloads the export for the bureau', async (t) => {
    const context = await newContext(browser);
    const page = await newPage(context);
    try {
      await signIn(page, app.base, ACCOUNTS.payroll);
      await navigation(page, () => page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Paie', exact: true }).click());
      assert.equal(await assertH1(page, 'payroll months'), 'Paie du mois');
      // Past months are imported; the current one is prepared.
      assert.match(await page.locator('main ul.plain').textContent(), /bulletins importés/);
      await navigation(page, () => page.getByRole('button', { name: 'Préparer ce mois' }).click());
      assert.match(await assertH1(page, 'payroll month'), /^Paie de /);
      await checkA11y(page, 'payroll month', t);
      const first = page.locator('main section.panel').first();
      await first.getByLabel(/^Part variable brute/).fill('-5');
      let res = await navigation(page, () => first.getByRole('button', { name: 'Enregistrer' }).click());
      assert.equal(res.status(), 422);
      const again = page.locator('main section.panel').first();
      assert.equal(await again.getByLabel(/^Part variable brute/).getAttribute('aria-invalid'), 'true');
      await again.getByLabel(/^Part variable brute/).fill('150');
      res = await navigation(page, () => again.getByRole('button', { name: 'Enregistrer' }).click());
      assert.equal(res.status(), 200);
      res = await navigation(page, () => page.getByRole('button', { name: 'Verrouiller le mois' }).click());
      assert.equal(res.status(), 200);
      assert.match(await page.getByRole('status').first().textContent(), /Mois verrouillé/);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Export pour le cabinet (CSV)' }).click(),
      ]);
      const csv = await (await download.createReadStream()).toArray();
      const text = Buffer.concat(csv).toString('utf8');
      assert.match(text, /Salaire fixe brut/);
      assert.match(text, /150\.00/);
      await checkA11y(page, 'locked payroll month', t);
      assertNoProblems(page);
    } finally {
      await context.close();
    }
  });
});

describe('the support team reads every account', () => {
  it('lists every activity with its balance and forecast, alerts first', async (t) => {
    const context = await newContext(browser);
    const page = await newPage(context);
    try {
      await signIn(page, app.base, ACCOUNTS.validation);
      await visit(page, app.base, `${COOP}/activities`);
      await navigation(page, () => page.getByRole('link', { name: /^Comptes d'activité/ }).click());
      assert.equal(await assertH1(page, 'accounts overview'), "Comptes d'activité");
      const rows = page.locator('main tbody tr');
      assert.ok((await rows.count()) > 5);
      await navigation(page, () => page.getByRole('link', { name: 'Par prévision' }).click());
      const forecasts = (await page.locator('main tbody tr td:nth-child(5)').allTextContents()).map(euros);
      assert.deepEqual(forecasts, [...forecasts].sort((a, b) => a - b), 'sorted by forecast, lowest first');
      await checkA11y(page, 'accounts overview', t);
      assertNoProblems(page);
    } finally {
      await context.close();
    }
  });
});
