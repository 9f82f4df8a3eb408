// Spending, end to end in a real browser (issue 5): an entrepreneur, on a phone, gives the account
// their refunds go to, adds an expense with a photographed receipt and a trip to the month's
// report and sends it; the validation team validates it; the accounting team prepares the SEPA
// file, downloads it and confirms it; the report is then refunded. Then the salary simulator on
// a phone (issue 6).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ACCOUNTS, COOP, startApp, launchBrowser, newContext, newPage, navigation, signIn, checkA11y, assertH1, assertNoProblems, screenshot, visit } from './helpers.mjs';

const PHONE = { width: 360, height: 740 };
// The smallest JPEG header a browser would send from a camera: the server checks the type by its bytes.
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

let app;
let browser;
let reportUrl;

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

describe('an entrepreneur on a phone', () => {
  let context;
  let page;

  before(async () => {
    context = await newContext(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
    page = await newPage(context);
    await signIn(page, app.base, ACCOUNTS.entrepreneur);
  });

  after(async () => {
    await context?.close();
  });

  it('gives the account refunds are paid to, a wrong IBAN told beside its field', async (t) => {
    await visit(page, app.base, `${COOP}/expenses`);
    assert.equal(await assertH1(page, 'expenses'), 'Notes de frais');
    await assertFits(page, '/expenses');
    await checkA11y(page, 'expense reports on a phone', t);
    const payee = page.getByRole('region', { name: 'Mon compte pour les remboursements' });
    await payee.getByLabel(/^IBAN/).fill('FR76 3000 6000 0112 3456 7890 188');
    let res = await navigation(page, () => payee.getByRole('button', { name: 'Enregistrer' }).click());
    assert.equal(res.status(), 422);
    assert.match(await page.locator('#e-iban').textContent(), /clé de cet IBAN est fausse/);
    await page.getByRole('region', { name: 'Mon compte pour les remboursements' }).getByLabel(/^IBAN/).fill('FR14 2004 1010 0505 0001 3M02 606');
    res = await navigation(page, () => page.getByRole('region', { name: 'Mon compte pour les remboursements' }).getByRole('button', { name: 'Enregistrer' }).click());
    assert.equal(res.status(), 200);
    await page.getByRole('status').filter({ hasText: 'Votre compte est enregistré.' }).waitFor();
  });

  it('adds an expense with its receipt and a trip to the month\'s report, and sends it', async (t) => {
    await visit(page, app.base, `${COOP}/expenses`);
    await navigation(page, () => page.getByRole('button', { name: 'Ouvrir la note de ce mois' }).click());
    reportUrl = new URL(page.url()).pathname;
    assert.match(reportUrl, new RegExp(`^${COOP}/expenses/\\d+$`));
    await assertFits(page, 'report');
    await checkA11y(page, 'report on a phone', t);
    const expense = page.getByRole('region', { name: 'Ajouter une dépense' });
    await expense.getByLabel('Catégorie').selectOption({ label: 'Repas' });
    await expense.getByLabel(/^Montant payé/).fill('18,50');
    await expense.getByLabel(/^TVA indiquée/).fill('1,68');
    await expense.getByLabel('Activité').selectOption({ index: 1 });
    await expense.getByLabel(/^Objet/).fill('Déjeuner avec la cliente du salon');
    // Without a receipt the line is kept, and sending is refused until it comes.
    let res = await navigation(page, () => expense.getByRole('button', { name: 'Ajouter la dépense' }).click());
    assert.equal(res.status(), 200);
    const line = page.locator('tbody tr').filter({ hasText: 'Déjeuner avec la cliente du salon' });
    assert.match(await line.textContent(), /Manquant/);
    res = await navigation(page, () => page.getByRole('button', { name: 'Envoyer à l’équipe d’appui' }).click());
    assert.equal(res.status(), 422);
    assert.match(await page.locator('#e-report').textContent(), /justificatif/);
    // The receipt, as the phone's camera gives it.
    const again = page.locator('tbody tr').filter({ hasText: 'Déjeuner avec la cliente du salon' });
    await again.getByLabel('Justificatif').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: JPEG });
    res = await navigation(page, () => again.getByRole('button', { name: 'Joindre' }).click());
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('tbody tr').filter({ hasText: 'Déjeuner avec la cliente du salon' }).getByRole('link', { name: 'photo.jpg' }).count(), 1);
    // A trip: 42 km with a 5 CV car.
    const trip = page.getByRole('region', { name: 'Ajouter un trajet' });
    await trip.getByLabel('Départ').fill('Lyon');
    await trip.getByLabel('Arrivée').fill('Vienne');
    await trip.getByLabel('Motif').fill('Livraison chez un client');
    await trip.getByLabel('Distance (km)').fill('abc');
    await trip.getByLabel('Puissance fiscale (CV)').fill('5');
    await trip.getByLabel('Activité').selectOption({ index: 1 });
    res = await navigation(page, () => trip.getByRole('button', { name: 'Ajouter le trajet' }).click());
    assert.equal(res.status(), 422);
    assert.match(await page.locator('#te-km').textContent(), /distance en kilomètres/);
    await page.getByRole('region', { name: 'Ajouter un trajet' }).getByLabel('Distance (km)').fill('42');
    res = await navigation(page, () => page.getByRole('region', { name: 'Ajouter un trajet' }).getByRole('button', { name: 'Ajouter le trajet' }).click());
    assert.equal(res.status(), 200);
    assert.match(await page.locator('tbody tr').filter({ hasText: 'Lyon → Vienne' }).textContent(), /Voiture 5 CV/);
    await assertFits(page, 'report with lines');
    await screenshot(page, 'spending-report-phone');
    res = await navigation(page, () => page.getByRole('button', { name: 'Envoyer à l’équipe d’appui' }).click());
    assert.equal(res.status(), 200);
    assert.equal((await page.locator('main .status').first().textContent()).trim(), 'Envoyée, à valider');
    assert.equal(await page.getByRole('region', { name: 'Ajouter une dépense' }).count(), 0, 'sent: no more changes');
    assertNoProblems(page);
  });
});

describe('the support team', () => {
  it('validates the report', async (t) => {
    const context = await newContext(browser);
    const page = await newPage(context);
    try {
      await signIn(page, app.base, ACCOUNTS.validation);
      await visit(page, app.base, `${COOP}/expenses?status=submitted`);
      await checkA11y(page, 'reports to validate', t);
      await navigation(page, () => page.locator(`a[href="${reportUrl}"]`).click());
      await checkA11y(page, 'a report to decide', t);
      // PAY-24: when the refund takes the activity's forecast below the cooperative's tolerance
      // (the demo's history decides; the HTTP tests cover both cases), the team must say why.
      const reason = page.getByLabel('Pourquoi le rembourser quand même');
      if (await reason.count()) {
        assert.match(await page.locator('main').textContent(), /sous le seuil toléré/);
        const refused = await navigation(page, () => page.getByRole('button', { name: 'Valider', exact: true }).click());
        assert.equal(refused.status(), 422);
        assert.match(await page.locator('#e-override_reason').textContent(), /Indiquez pourquoi/);
        await page.getByLabel('Pourquoi le rembourser quand même').fill('Acompte client attendu cette semaine');
      }
      const res = await navigation(page, () => page.getByRole('button', { name: 'Valider', exact: true }).click());
      assert.equal(res.status(), 200);
      assert.equal((await page.locator('main .status').first().textContent()).trim(), 'Validée, à rembourser');
      assertNoProblems(page);
    } finally {
      await context.close();
    }
  });

  it('prepares the SEPA file, downloads it and confirms it', async (t) => {
    const context = await newContext(browser, { acceptDownloads: true });
    const page = await newPage(context);
    try {
      await signIn(page, app.base, ACCOUNTS.accounting);
      await visit(page, app.base, `${COOP}/payments`);
      assert.equal(await assertH1(page, 'payments'), 'Virements (remboursements et fournisseurs)');
      await checkA11y(page, 'transfers', t);
      const id = reportUrl.split('/').pop();
      const mine = page.locator(`input[name="report_${id}"]`);
      assert.ok(await mine.isChecked(), 'the validated report is offered, ticked');
      let res = await navigation(page, () => page.getByRole('button', { name: 'Préparer le fichier de virements' }).click());
      assert.equal(res.status(), 200);
      assert.match(new URL(page.url()).pathname, new RegExp(`^${COOP}/payments/\\d+$`));
      await checkA11y(page, 'a transfer file', t);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Télécharger le fichier SEPA (XML)' }).click(),
      ]);
      assert.match(download.suggestedFilename(), /^ESS-\d{4}-\d{6}-.*\.xml$/);
      const xml = readFileSync(await download.path(), 'utf8');
      assert.match(xml, /urn:iso:std:iso:20022:tech:xsd:pain\.001\.001\.09/);
      assert.match(xml, /FR1420041010050500013M02606/);
      assert.match(xml, new RegExp(`NDF-\\d{4}-\\d{2}-0*${id}<`));
      res = await navigation(page, () => page.getByRole('button', { name: 'Confirmer l’exécution' }).click());
      assert.equal(res.status(), 200);
      assert.equal((await page.locator('main .status').first().textContent()).trim(), 'Exécuté');
      await visit(page, app.base, reportUrl);
      assert.equal((await page.locator('main .status').first().textContent()).trim(), 'Remboursée');
      assertNoProblems(page);
    } finally {
      await context.close();
    }
  });
});

describe('the salary simulator on a phone', () => {
  it('gives the net and the cost of a gross salary, and the gross of a net', async (t) => {
    const context = await newContext(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await newPage(context);
    try {
      await signIn(page, app.base, ACCOUNTS.entrepreneur);
      await visit(page, app.base, COOP);
      // On a phone the menu may be folded: its link is there either way.
      await visit(page, app.base, await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Simulateur de salaire' }).getAttribute('href'));
      assert.equal(await assertH1(page, 'simulator'), 'Simulateur de salaire');
      await page.getByLabel(/^Montant mensuel/).fill('2500');
      await page.getByLabel('Mois de paie', { exact: true }).fill('2026-03-01');
      let res = await navigation(page, () => page.getByRole('button', { name: 'Calculer', exact: true }).click());
      assert.equal(res.status(), 200);
      const result = page.getByRole('region', { name: 'Résultat pour un mois' });
      const value = async (label) => (await result.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]').textContent()).trim();
      assert.equal(await value('Salaire net avant impôt'), '1\u202f957,05\u00a0€');
      assert.equal(await value('Coût total pour la coopérative'), '3\u202f162,65\u00a0€');
      await assertFits(page, 'simulator');
      await checkA11y(page, 'salary simulator on a phone', t);
      await screenshot(page, 'payroll-simulator-phone');
      // From the net back to the gross.
      await page.getByLabel('le salaire net (avant impôt)').check();
      await page.getByLabel(/^Montant mensuel/).fill('1957,05');
      res = await navigation(page, () => page.getByRole('button', { name: 'Calculer', exact: true }).click());
      assert.equal(res.status(), 200);
      assert.equal(await value('Salaire brut'), '2\u202f500,00\u00a0€');
      // What salary the expected balance sustains until the year end (a what-if).
      await page.getByLabel(/^Disponible prévu/).fill('46200');
      await page.getByLabel(/^Mois de paie restants/).fill('10');
      res = await navigation(page, () => page.getByRole('button', { name: 'Calculer le salaire possible' }).click());
      assert.equal(res.status(), 200);
      const plan = page.getByRole('region', { name: 'Quel salaire puis-je me verser ?' });
      assert.match(await plan.locator('dd').first().textContent(), /^\d[\d\u202f]*,\d\d\u00a0€$/);
      await assertFits(page, 'planner');
      await checkA11y(page, 'pay planner on a phone', t);
      // A mistyped amount is told beside its field.
      await page.getByLabel(/^Montant mensuel/).fill('deux mille');
      res = await navigation(page, () => page.getByRole('button', { name: 'Calculer', exact: true }).click());
      assert.equal(res.status(), 422);
      assert.equal(await page.getByLabel(/^Montant mensuel/).getAttribute('aria-invalid'), 'true');
      assertNoProblems(page);
    } finally {
      await context.close();
    }
  });
});
