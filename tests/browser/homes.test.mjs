// Homes, in a real browser (issue 19): each demo role signs in on a phone-sized window, finds what
// waits for it on its home (axe reports nothing, nothing scrolls sideways), and follows a line to
// the list behind it, filtered, whose figure is the one the home showed.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS, COOP, startApp, launchBrowser, newContext, newPage, navigation, signIn, checkA11y, assertNoProblems, visit, screenshot } from './helpers.mjs';

const PHONE = { width: 390, height: 844 };

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

/** Fails when the page scrolls sideways at this width. */
async function assertNoSidewaysScroll(page, label) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `${label} scrolls sideways at ${PHONE.width}px (${width}px)`);
}

/** The list's count line: "N document(s) — total HT …". */
async function listSummary(page) {
  return (await page.getByRole('status').filter({ hasText: 'document(s)' }).textContent()).trim();
}

const CASES = [
  // role, a block the home shows, the line followed (a pattern), what the list must show
  { key: 'entrepreneur', block: 'Mes activités', line: /^Vos clients vous doivent/, amount: true },
  { key: 'validation', block: 'Ce qui vous attend', line: /facture\(s\) à valider/, count: true },
  { key: 'accounting', block: 'Clôture des comptes', line: /^Mois terminés à clôturer/ },
  { key: 'coaching', block: 'Prochaines échéances des parcours', line: /^Vous êtes référent/ },
  { key: 'admin', block: 'Mettre en place la coopérative', line: /Logo imprimé/ },
  { key: 'member', block: 'La coopérative en chiffres', line: null },
];

describe('each role finds what waits for it on its home', () => {
  for (const c of CASES) {
    it(`${c.key}: sees its home on a phone and opens a line`, async (t) => {
      const context = await newContext(browser, { viewport: PHONE });
      const page = await newPage(context);
      try {
        await signIn(page, app.base, ACCOUNTS[c.key]);
        await visit(page, app.base, COOP);
        await page.getByRole('heading', { level: 2, name: c.block }).waitFor();
        await checkA11y(page, `home of ${c.key}`, t);
        await assertNoSidewaysScroll(page, `home of ${c.key}`);
        await screenshot(page, `home-phone-${c.key}`);
        if (c.line) {
          const link = page.locator('.home-lines a').filter({ hasText: c.line }).first();
          const text = (await link.textContent()).trim();
          const res = await navigation(page, () => link.click());
          assert.equal(res.status(), 200, `${c.key}: ${text}`);
          await assertNoSidewaysScroll(page, `list opened from the home of ${c.key}`);
          if (c.amount) {
            const owed = text.match(/doivent (.+?€)/)[1];
            assert.ok((await listSummary(page)).includes(owed), `${c.key}: ${owed} in the list`);
          }
          if (c.count) {
            const n = text.match(/^(\d+)/)[1];
            assert.ok((await listSummary(page)).startsWith(`${n} document(s)`), `${c.key}: ${n} documents`);
            assert.match(page.url(), /status=to_validate/);
            assert.match(page.url(), /sort=oldest/);
          }
        } else {
          await navigation(page, () => page.getByRole('link', { name: 'Annuaire de la coopérative' }).click());
        }
        assertNoProblems(page);
      } finally {
        await context.close();
      }
    });
  }
});
