// Selling, end to end in a real browser (issue 4): an entrepreneur writes a quote on a phone, the
// customer accepts it through the signed link, the entrepreneur asks for a deposit then the final
// invoice, a validator validates both (they get their numbers), and the payment makes it paid.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS, COOP, startApp, launchBrowser, newContext, newPage, navigation, signIn, checkA11y, assertH1, assertNoProblems, screenshot, visit } from './helpers.mjs';

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

describe('quote → acceptance → deposit → final invoice → validation → payment', () => {
  let phone;
  let ent;
  let office;
  let validator;
  let quoteUrl;
  let link;

  before(async () => {
    phone = await newContext(browser, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    ent = await newPage(phone);
    await signIn(ent, app.base, ACCOUNTS.entrepreneur);
    office = await newContext(browser);
    validator = await newPage(office);
    await signIn(validator, app.base, ACCOUNTS.validation);
  });

  after(async () => {
    await phone?.close();
    await office?.close();
  });

  it('the entrepreneur writes a quote on a phone, with an error shown beside its line', async (t) => {
    const nav = ent.getByRole('navigation', { name: 'Menu principal' });
    await navigation(ent, () => nav.getByRole('link', { name: 'Devis', exact: true }).click());
    await assertH1(ent, 'quotes');
    await checkA11y(ent, 'quotes list', t);
    await navigation(ent, () => ent.getByRole('link', { name: /^Nouveau devis/ }).first().click());
    await checkA11y(ent, 'quote form', t);
    const customer = ent.getByLabel('Client', { exact: true });
    // A customer in France (the demo also has a Belgian company, invoiced under reverse charge).
    const options = await customer.locator('option').evaluateAll((os) => os.filter((o) => o.value && !/Vandenberghe/.test(o.textContent)).map((o) => o.value));
    assert.ok(options.length > 0, 'the demo activity has customers');
    await customer.selectOption(options[0]);
    const line = ent.getByRole('group', { name: 'Ligne 1' });
    await line.getByLabel('Désignation').fill('Atelier d\'écriture');
    await line.getByLabel('Quantité').fill('deux');
    await line.getByLabel('Prix unitaire').fill('450');
    await navigation(ent, () => ent.getByRole('button', { name: 'Enregistrer le brouillon' }).click());
    const error = ent.getByRole('group', { name: 'Ligne 1' }).locator('.error');
    assert.match((await error.first().textContent()).trim(), /Nombre attendu/);
    await ent.getByRole('group', { name: 'Ligne 1' }).getByLabel('Quantité').fill('2');
    await navigation(ent, () => ent.getByRole('button', { name: 'Enregistrer le brouillon' }).click());
    await assertH1(ent, 'quote page');
    quoteUrl = new URL(ent.url()).pathname;
    assert.match(quoteUrl, /\/sales\/\d+$/);
    await checkA11y(ent, 'draft quote', t);
    await screenshot(ent, 'quote-draft-phone');
    // 900 HT at 20 %: 1 080 TTC.
    assert.match(await ent.locator('main').textContent(), /1\u202f080,00\u00a0€/);
  });

  it('sends it and the customer accepts it through the signed link', async (t) => {
    await navigation(ent, () => ent.getByRole('button', { name: /Envoyer le devis/ }).click());
    link = (await ent.locator('code.secret').textContent()).trim();
    assert.match(link, /\/q\/[0-9a-f]{32,}$/);
    const customerContext = await newContext(browser);
    const customer = await newPage(customerContext);
    await visit(customer, '', link.replace(/^https?:\/\/[^/]+/, app.base));
    await assertH1(customer, 'public quote');
    await checkA11y(customer, 'public quote', t);
    await customer.getByLabel('Votre nom et prénom').fill('Jeanne Cliente');
    await navigation(customer, () => customer.getByRole('button', { name: "J'accepte ce devis" }).click());
    await customer.getByRole('status').filter({ hasText: 'Accepté' }).waitFor();
    assertNoProblems(customer);
    await customerContext.close();
    await visit(ent, app.base, quoteUrl);
    assert.match(await ent.locator('main').textContent(), /Jeanne Cliente/);
  });

  it('asks for a 30 % deposit, which the validator validates', async (t) => {
    await ent.getByLabel('Pourcentage').fill('30');
    await navigation(ent, () => ent.getByRole('button', { name: "Créer la facture d'acompte" }).click());
    const depositUrl = new URL(ent.url()).pathname;
    assert.match(await ent.locator('main').textContent(), /324,00/);
    await visit(validator, app.base, depositUrl);
    await checkA11y(validator, 'deposit draft for the validator', t);
    await navigation(validator, () => validator.getByRole('button', { name: 'Valider et numéroter' }).click());
    await validator.getByRole('status').filter({ hasText: 'validée' }).waitFor();
    assert.match(await validator.locator('h1').textContent(), /Facture d.acompte F\d{4}-\d{5}/);
  });

  it('makes the final invoice, validated, then paid', async (t) => {
    await visit(ent, app.base, quoteUrl);
    await navigation(ent, () => ent.getByRole('button', { name: 'Facture finale' }).click());
    const finalUrl = new URL(ent.url()).pathname;
    // 1 080 − 324 = 756 TTC left to invoice.
    assert.match(await ent.locator('main').textContent(), /756,00/);
    await visit(validator, app.base, finalUrl);
    await navigation(validator, () => validator.getByRole('button', { name: 'Valider et numéroter' }).click());
    const number = (await validator.locator('h1').textContent()).match(/F\d{4}-\d{5}/)[0];
    const pay = validator.getByRole('region', { name: 'Enregistrer un paiement' });
    await pay.getByLabel('Moyen de paiement').selectOption({ label: 'Virement' });
    await navigation(validator, () => pay.getByRole('button', { name: 'Enregistrer un paiement' }).click());
    await validator.getByRole('status').filter({ hasText: 'paiement est enregistré' }).waitFor();
    assert.match(await validator.locator('main').textContent(), /Payée/);
    await checkA11y(validator, 'paid invoice', t);
    await screenshot(validator, 'invoice-paid');
    // The list of the cooperative shows it paid.
    await visit(validator, app.base, `${COOP}/invoices?q=${number}`);
    assert.match(await validator.locator('tbody').textContent(), /Payée/);
    assertNoProblems(ent);
    assertNoProblems(validator);
  });
});
