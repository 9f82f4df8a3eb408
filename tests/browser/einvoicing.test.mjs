// E-invoicing, in a real browser (issue 20): an administrator of the demo cooperative opens the
// connection to the approved platform — the demo's conformance platform, labelled as such — sees
// that the secret is kept but never shown, tests the connection and finds it in the exchanges.
// An invoice is validated and goes out, its payment is reported (212); the support team finds a
// refusal (210) through its notification; a supplier's UBL invoice waits in the triage queue, is
// assigned to the entrepreneur's activity, and the entrepreneur approves it.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS, COOP, startApp, launchBrowser, newContext, newPage, navigation, signIn, checkA11y, assertH1, assertNoProblems, visit, screenshot } from './helpers.mjs';

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

describe('an administrator and the approved platform', () => {
  it('finds the demo platform connected and tests the connection', async (t) => {
    const context = await newContext(browser);
    const page = await newPage(context);
    try {
      await signIn(page, app.base, ACCOUNTS.admin);
      await visit(page, app.base, `${COOP}/settings`);
      await navigation(page, () => page.getByRole('link', { name: 'Facturation électronique : plateforme agréée' }).click());
      await assertH1(page, 'Facturation électronique : plateforme agréée');
      await checkA11y(page, 'e-invoicing connection', t);
      assert.match(await page.locator('main').textContent(), /Plateforme de démonstration/);
      assert.match(await page.getByLabel('Adresse du service des flux (Flow Service)').inputValue(), /^http:\/\/127\.0\.0\.1:\d+\/flow-service$/);
      assert.equal(await page.getByLabel('Secret client').inputValue(), '', 'the secret is never shown back');
      const res = await navigation(page, () => page.getByRole('button', { name: 'Tester la connexion' }).click());
      assert.equal(res.status(), 200);
      await page.getByRole('status').filter({ hasText: 'Connexion réussie' }).waitFor();
      const row = page.locator('tbody tr').first();
      assert.match(await row.textContent(), /Test de la connexion/);
      assert.match(await row.textContent(), /Réussi/);
      assertNoProblems(page);
    } finally {
      await context.close();
    }
  });

  it('is not offered to an entrepreneur', async () => {
    const context = await newContext(browser);
    const page = await newPage(context);
    try {
      await signIn(page, app.base, ACCOUNTS.entrepreneur);
      const res = await page.goto(`${app.base}${COOP}/settings/einvoicing`);
      assert.equal(res.status(), 403);
    } finally {
      await context.close();
    }
  });
});

/** Reloads the page until its main content matches `re` (the background worker runs every 2 s). */
async function until(page, re, tries = 20) {
  for (let i = 0; i < tries; i += 1) {
    if (re.test(await page.locator('main').textContent())) return;
    await page.waitForTimeout(1000);
    await page.reload();
  }
  assert.match(await page.locator('main').textContent(), re);
}

const COMPANIES = /Boulangerie du Marché|Association Les Tisserands|Cabinet Morel|Librairie La Page|Hôtel des Voyageurs|Ferme du Vallon|Studio Lumière|Garage Martin|Théâtre de la Colline|École Montessori|Brasserie Le Comptoir/;

describe('invoices through the approved platform', () => {
  let office;
  let team;
  let phone;
  let ent;

  before(async () => {
    office = await newContext(browser);
    team = await newPage(office);
    await signIn(team, app.base, ACCOUNTS.validation);
    phone = await newContext(browser, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    ent = await newPage(phone);
    await signIn(ent, app.base, ACCOUNTS.entrepreneur);
  });

  after(async () => {
    await office?.close();
    await phone?.close();
  });

  it('sends a validated invoice to a business and reports its payment (212)', async (t) => {
    await visit(ent, app.base, `${COOP}/invoices`);
    await navigation(ent, () => ent.getByRole('link', { name: /^Nouvelle facture/ }).first().click());
    const customer = ent.getByLabel('Client', { exact: true });
    const options = await customer.locator('option').evaluateAll((os, re) => os.filter((o) => o.value && new RegExp(re).test(o.textContent)).map((o) => o.value), COMPANIES.source);
    assert.ok(options.length > 0, 'the activity has a business customer in France');
    await customer.selectOption(options[0]);
    const line = ent.getByRole('group', { name: 'Ligne 1' });
    await line.getByLabel('Désignation').fill('Accompagnement au projet');
    await line.getByLabel('Quantité').fill('3');
    await line.getByLabel('Prix unitaire').fill('200');
    await navigation(ent, () => ent.getByRole('button', { name: 'Enregistrer le brouillon' }).click());
    const url = new URL(ent.url()).pathname;
    await visit(team, app.base, url);
    await navigation(team, () => team.getByRole('button', { name: 'Valider et numéroter' }).click());
    await team.getByRole('status').filter({ hasText: 'validée' }).waitFor();
    const section = team.getByRole('region', { name: 'Facture électronique' });
    await until(team, /200 Déposée/);
    assert.match(await section.textContent(), /Déposée sur la plateforme/);
    await checkA11y(team, 'invoice deposited on the platform', t);
    const pay = team.getByRole('region', { name: 'Enregistrer un paiement' });
    await pay.getByLabel('Montant').fill('300');
    await pay.getByLabel('Moyen de paiement').selectOption({ label: 'Virement' });
    await navigation(team, () => pay.getByRole('button', { name: 'Enregistrer un paiement' }).click());
    await until(team, /212 Encaissée/);
    assert.match(await team.getByRole('region', { name: 'Facture électronique' }).textContent(), /300,00/);
    await screenshot(team, 'einvoice-collected');
    assertNoProblems(team);
    assertNoProblems(ent);
  });

  it('tells the support team of a refusal (210) and says what to do', async (t) => {
    await visit(team, app.base, '/notifications');
    const link = team.getByRole('link', { name: /refusée par le client/ }).first();
    await navigation(team, () => link.click());
    const section = team.getByRole('region', { name: 'Facture électronique' });
    assert.match(await section.textContent(), /210 Refusée/);
    assert.match(await section.textContent(), /faites un avoir/);
    await checkA11y(team, 'refused e-invoice', t);
    assertNoProblems(team);
  });

  it('assigns a received UBL invoice from the triage queue; the entrepreneur approves it', async (t) => {
    await visit(team, app.base, `${COOP}/supplier-invoices`);
    await navigation(team, () => team.getByRole('link', { name: 'Factures reçues par la plateforme' }).click());
    await assertH1(team, 'Factures reçues par la plateforme');
    await checkA11y(team, 'received invoices', t);
    const row = team.locator('tbody tr').filter({ hasText: 'À attribuer' }).first();
    await navigation(team, () => row.getByRole('link').click());
    assert.match(await team.locator('main').textContent(), /XML UBL/);
    // The entrepreneur's activity: the one the other received invoice went to.
    await visit(ent, app.base, `${COOP}/received-invoices`);
    const theirs = (await ent.locator('tbody tr').first().locator('td').nth(3).textContent()).trim();
    const activity = team.getByLabel('Activité', { exact: true });
    await activity.selectOption({ label: theirs });
    await navigation(team, () => team.getByRole('button', { name: 'Attribuer' }).click());
    const received = new URL(team.url()).pathname;
    await visit(ent, app.base, received);
    await checkA11y(ent, 'received invoice to approve', t);
    const approve = ent.getByRole('region', { name: 'Approuver la facture' });
    await navigation(ent, () => approve.getByRole('button', { name: 'Approuver' }).click());
    assert.match(await ent.locator('#e-category').textContent(), /\S/, 'the category is asked for beside its field');
    const category = ent.getByRole('region', { name: 'Approuver la facture' }).getByLabel('Catégorie');
    const first = await category.locator('option').evaluateAll((os) => os.find((o) => o.value)?.value);
    await category.selectOption(first);
    await navigation(ent, () => ent.getByRole('region', { name: 'Approuver la facture' }).getByRole('button', { name: 'Approuver' }).click());
    assert.match(await ent.locator('main').textContent(), /Approuvée/);
    await until(ent, /Transmise/);
    assert.match(await ent.getByRole('link', { name: 'Voir la facture fournisseur de l\'activité' }).getAttribute('href'), /supplier-invoices\/\d+$/);
    await screenshot(ent, 'received-invoice-approved');
    assertNoProblems(ent);
    assertNoProblems(team);
  });
});
