// The path of a person, as the support team records it: first contact → information meeting →
// admission → CAPE → CESA → associé. The associé deadline appears with the CESA, shows on the
// deadlines page, then clears at admission as associé. A rule breach is refused beside its field.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS, COOP, startApp, launchBrowser, newContext, newPage, navigation, signIn, checkA11y, assertH1, screenshot } from './helpers.mjs';

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

function isoDaysAgo(days) {
  const d = new Date(Date.now() - days * 86400000);
  return d.toISOString().slice(0, 10);
}

describe('a coach records a path from first contact to associé', () => {
  let context;
  let page;

  before(async () => {
    context = await newContext(browser);
    page = await newPage(context);
    await signIn(page, app.base, ACCOUNTS.coaching);
  });

  after(async () => {
    await context?.close();
  });

  async function addStep(kind, on, extra = {}) {
    const form = page.getByRole('region', { name: 'Ajouter une étape au parcours' });
    await form.getByLabel('Étape').selectOption({ label: kind });
    await form.getByLabel(/^Date \(début/).fill(on);
    for (const [label, value] of Object.entries(extra)) {
      await form.getByLabel(new RegExp(`^${label}`)).fill(value);
    }
    return navigation(page, () => form.getByRole('button', { name: "Enregistrer l'étape" }).click());
  }

  it('records the contact', async (t) => {
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    await navigation(page, () => nav.getByRole('link', { name: 'Personnes', exact: true }).click());
    await checkA11y(page, 'people list', t);
    await navigation(page, () => page.getByRole('link', { name: 'Enregistrer une personne' }).click());
    await checkA11y(page, 'new person form', t);
    await page.getByLabel(/^Prénom/).fill('Yasmine');
    await page.getByLabel(/^Nom/).fill('Parcours');
    await page.getByLabel(/^Secteur/).fill('74.10Z');
    await page.getByLabel('Situation à l\'entrée').selectOption({ label: 'Allocataire du RSA' });
    const res = await navigation(page, () => page.getByRole('button', { name: 'Enregistrer' }).click());
    assert.ok(res.status() < 400);
    await assertH1(page, 'person file');
    assert.match(await page.locator('main').textContent(), /Premier contact/);
  });

  it('walks the path and sees the deadline appear', async (t) => {
    await addStep("Réunion d'information", isoDaysAgo(400));
    await addStep("Décision d'admission", isoDaysAgo(390));
    // Thirteen months of CAPE: refused beside the end date.
    const refused = await addStep('Signature du CAPE', isoDaysAgo(380), { 'Date de fin': isoDaysAgo(-15) });
    assert.equal(refused.status(), 422);
    await page.getByText('Une période de CAPE dure 12 mois au plus.').waitFor();
    await checkA11y(page, 'event form with an error', t);
    await addStep('Signature du CAPE', isoDaysAgo(380), { 'Date de fin': isoDaysAgo(200) });
    await addStep('Signature du CESA', isoDaysAgo(199));
    const main = await page.locator('main').textContent();
    assert.match(main, /Entrepreneur·e salarié·e \(CESA\)/);
    assert.match(main, /Échéance pour devenir associé·e : \d\d\/\d\d\/\d{4}/);
    await screenshot(page, 'person-path');
  });

  it('clears the deadline at admission as associé', async () => {
    await addStep('Admission comme associé·e', isoDaysAgo(10));
    const main = await page.locator('main').textContent();
    assert.match(main, /Associé·e/);
    assert.doesNotMatch(main, /Échéance pour devenir associé·e/);
  });

  it('opens the deadlines dashboard', async (t) => {
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    await navigation(page, () => nav.getByRole('link', { name: 'Échéances', exact: true }).click());
    assert.equal(new URL(page.url()).pathname, `${COOP}/deadlines`);
    await page.getByRole('heading', { name: /Échéance dépassée/ }).waitFor();
    await checkA11y(page, 'deadlines dashboard', t);
  });
});
