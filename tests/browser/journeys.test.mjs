// Two journeys through forms, as a person would do them:
// - an administrator adds a person to the cooperative, then finds the action in the journal;
// - the host administrator creates a cooperative, first with a wrong SIRET, then with valid data.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACCOUNTS,
  COOP,
  startApp,
  launchBrowser,
  newContext,
  newPage,
  navigation,
  visit,
  signIn,
  checkA11y,
  assertH1,
  assertNoProblems,
  screenshot,
} from './helpers.mjs';

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

describe('administrator adds a person', () => {
  let context;
  let page;
  const email = 'zoe.nouvelle@exemple.coop';
  const name = 'Zoé Nouvelle';

  before(async () => {
    context = await newContext(browser);
    page = await newPage(context);
    await signIn(page, app.base, ACCOUNTS.admin);
  });

  after(async () => {
    await context?.close();
  });

  it('fills the form on the members page and sees the success message', async (t) => {
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    await navigation(page, () => nav.getByRole('link', { name: 'Comptes', exact: true }).click());
    assert.equal(new URL(page.url()).pathname, `${COOP}/members`);
    const add = page.getByRole('region', { name: 'Ajouter une personne' });
    await add.getByLabel(/^Adresse e-mail/).fill(email);
    await add.getByLabel(/^Nom/).fill(name);
    await add.getByRole('checkbox', { name: 'Entrepreneur·e', exact: true }).check();
    const res = await navigation(page, () => add.getByRole('button', { name: 'Ajouter' }).click());
    assert.ok(res.status() < 400, `adding answered ${res.status()}`);
    await page.getByRole('status').filter({ hasText: 'La personne a été ajoutée.' }).waitFor();
    await checkA11y(page, 'members page after adding a person', t);
    await screenshot(page, 'members-added');
  });

  it('finds the new person in the list, with the role given', async () => {
    await page.getByRole('search').getByLabel('Rechercher un nom ou une adresse').fill('zoe.nouvelle');
    await navigation(page, () => page.getByRole('search').getByRole('button', { name: 'Rechercher' }).click());
    const row = page.getByRole('row').filter({ hasText: email });
    await row.waitFor();
    assert.match(await row.textContent(), new RegExp(name));
    assert.match(await row.textContent(), /Entrepreneur·e/);
  });

  it('sees the action "member.added" in the journal', async (t) => {
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    await navigation(page, () => nav.getByRole('link', { name: 'Journal', exact: true }).click());
    assert.equal(new URL(page.url()).pathname, `${COOP}/audit`);
    const row = page.getByRole('row').filter({ has: page.locator('code', { hasText: /^member\.added$/ }) });
    await row.first().waitFor();
    // Filtering the journal on that action keeps it.
    await page.getByLabel('Action').selectOption('member.added');
    await navigation(page, () => page.getByRole('button', { name: 'Filtrer' }).click());
    const actions = await page.locator('tbody tr td:nth-child(3) code').allTextContents();
    assert.ok(actions.length >= 1, 'no row once filtered on member.added');
    assert.ok(actions.every((a) => a === 'member.added'), `filtered rows: ${actions.join(', ')}`);
    await checkA11y(page, 'journal filtered on member.added', t);
    assertNoProblems(page);
  });

  it('a wrong e-mail is refused beside its field, and the typed values are kept', async (t) => {
    await visit(page, app.base, `${COOP}/members`);
    const add = page.getByRole('region', { name: 'Ajouter une personne' });
    await add.getByLabel(/^Adresse e-mail/).fill('pas-une-adresse');
    await add.getByLabel(/^Nom/).fill('Quelqu’un');
    const res = await navigation(page, () => add.getByRole('button', { name: 'Ajouter' }).click());
    assert.equal(res.status(), 422);
    const email = page.locator('#f-email');
    assert.equal(await email.getAttribute('aria-invalid'), 'true');
    assert.ok(((await page.locator('#e-email').textContent()) || '').trim().length > 0, 'no message under the e-mail field');
    assert.equal(await email.inputValue(), 'pas-une-adresse');
    assert.equal(await page.locator('#f-display_name').inputValue(), 'Quelqu’un');
    await checkA11y(page, 'members page with an error', t);
  });
});

describe('host administrator creates a cooperative', () => {
  let context;
  let page;
  const legalName = 'Coopérative du Rhône Test';

  before(async () => {
    context = await newContext(browser);
    page = await newPage(context);
    await signIn(page, app.base, ACCOUNTS.host);
  });

  after(async () => {
    await context?.close();
  });

  async function fill(values) {
    for (const [label, value] of values) {
      await page.getByLabel(label).fill(value);
    }
  }

  const identity = [
    [/^Dénomination sociale/, legalName],
    [/^Numéro de TVA intracommunautaire/, 'FR44732829320'],
    [/^Ville du RCS/, 'Lyon'],
    [/^Capital social souscrit/, '15000'],
    [/^Adresse \*?$/, '12 rue de la République'],
    [/^Code postal/, '69001'],
    [/^Commune/, 'Lyon'],
  ];

  it('reaches the form from the "Hébergement" menu', async (t) => {
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    await navigation(page, () => nav.getByRole('link', { name: 'Hébergement', exact: true }).click());
    assert.equal(new URL(page.url()).pathname, '/admin/cooperatives');
    await navigation(page, () => page.getByRole('link', { name: 'Créer une coopérative' }).click());
    assert.equal(new URL(page.url()).pathname, '/admin/cooperatives/new');
    await assertH1(page, 'new cooperative form');
    await checkA11y(page, 'new cooperative form', t);
  });

  it('an invalid SIRET is refused beside the SIRET field, and the legal name is kept', async (t) => {
    await fill(identity);
    await page.getByLabel(/^Forme juridique/).selectOption({ label: 'SCOP SARL' });
    await page.getByLabel(/^SIRET du siège/).fill('73282932000075');
    const res = await navigation(page, () => page.getByRole('button', { name: 'Enregistrer' }).click());
    assert.ok(res.status() >= 400 && res.status() < 500, `a wrong SIRET answered ${res.status()}`);
    await page.getByRole('alert').filter({ hasText: 'Certains champs sont à corriger' }).waitFor();

    const siret = page.locator('#f-siret');
    const error = page.locator('#e-siret');
    assert.match((await error.textContent()).trim(), /^Ce SIRET n'existe pas/);
    const sameField = await error.evaluate((e) => e.closest('.field')?.querySelector('#f-siret') !== null);
    assert.ok(sameField, 'the SIRET error is not in the SIRET field group');
    assert.equal(await siret.getAttribute('aria-invalid'), 'true');
    assert.match((await siret.getAttribute('aria-describedby')) || '', /\be-siret\b/);
    assert.equal(await siret.inputValue(), '73282932000075');
    assert.equal(await page.getByLabel(/^Dénomination sociale/).inputValue(), legalName);
    // Only the SIRET is wrong.
    const invalid = await page.locator('[aria-invalid="true"]').evaluateAll((els) => els.map((e) => e.id));
    assert.deepEqual(invalid, ['f-siret']);
    await checkA11y(page, 'new cooperative form with an error', t);
    await screenshot(page, 'admin-new-cooperative-error');
  });

  it('with valid data, the cooperative is created and appears in the list', async (t) => {
    // Every field is typed again, as a person correcting the form would leave them.
    await fill(identity);
    await page.getByLabel(/^Forme juridique/).selectOption({ label: 'SCOP SARL' });
    await page.getByLabel(/^SIRET du siège/).fill('73282932000074');
    const res = await navigation(page, () => page.getByRole('button', { name: 'Enregistrer' }).click());
    assert.ok(res.status() < 400, `creating answered ${res.status()}`);
    assert.equal(new URL(page.url()).pathname, '/admin/cooperatives');
    const row = page.getByRole('row').filter({ hasText: legalName });
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    assert.equal(cells[0], legalName);
    assert.equal(cells[1].replace(/\s/g, ''), '732829320', `SIREN cell: ${cells[1]}`);
    assert.equal(cells[2], 'Lyon');
    assert.ok(cells[3].length > 0, 'no short address (slug)');
    await checkA11y(page, 'list of hosted cooperatives', t);
    await screenshot(page, 'admin-cooperatives');
    assertNoProblems(page);
  });

  it('the same SIRET cannot be used twice', async () => {
    await visit(page, app.base, '/admin/cooperatives/new');
    await fill(identity);
    await page.getByLabel(/^SIRET du siège/).fill('73282932000074');
    const res = await navigation(page, () => page.getByRole('button', { name: 'Enregistrer' }).click());
    assert.ok(res.status() >= 400 && res.status() < 500, `a duplicate SIRET answered ${res.status()}`);
    assert.match((await page.locator('#e-siret').textContent()).trim(), /existe déjà/);
  });

  it("the demo cooperative's administrator gets 404 in the new cooperative", async () => {
    await visit(page, app.base, '/admin/cooperatives');
    const slug = (await page.getByRole('row').filter({ hasText: legalName }).locator('code').textContent()).trim();
    const other = await newContext(browser);
    try {
      const p = await newPage(other);
      await signIn(p, app.base, ACCOUNTS.admin);
      for (const path of [`/c/${slug}`, `/c/${slug}/members`]) {
        const r = await visit(p, app.base, path);
        assert.equal(r.status(), 404, `${path} answered ${r.status()}`);
        await p.getByRole('alert').filter({ hasText: "Cette page n'existe pas" }).waitFor();
      }
    } finally {
      await other.close();
    }
  });
});
