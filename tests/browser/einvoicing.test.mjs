// E-invoicing, in a real browser (issue 20): an administrator of the demo cooperative opens the
// connection to the approved platform — the demo's conformance platform, labelled as such — sees
// that the secret is kept but never shown, tests the connection and finds it in the exchanges.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS, COOP, startApp, launchBrowser, newContext, newPage, navigation, signIn, checkA11y, assertH1, assertNoProblems, visit } from './helpers.mjs';

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
