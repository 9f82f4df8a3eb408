// Each role signs in through the form, walks every link of its main menu, and each page it sees
// passes axe-core (no serious or critical violation). Then the refusals that apply to the role.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACCOUNTS,
  COOP,
  startApp,
  launchBrowser,
  newContext,
  newPage,
  signIn,
  mainNavLinks,
  navigation,
  visit,
  checkA11y,
  assertH1,
  assertNoProblems,
  screenshot,
} from './helpers.mjs';

const S = COOP;

// What each role's menu holds (labels in French, in order) and where sign-in lands.
// `refused` are pages of the cooperative the role must not open (403 with the French message).
const ROLES = [
  {
    key: 'host',
    title: 'host administrator',
    lands: '/',
    menu: ['Mes coopératives', 'Hébergement', 'Tâches de fond des comptes', 'Mon compte'],
    refused: [],
    notFound: [S, `${S}/members`],
  },
  {
    key: 'admin',
    title: 'administrator',
    lands: S,
    menu: ['Accueil', 'Annuaire', 'Activités', 'Devis', 'Factures', 'Clients', 'Frais et achats', 'Simulateur de salaire', 'Paie', 'Comptabilité', 'Personnes', 'Échéances', 'Accompagnement', 'Ateliers', 'Formations', 'Comptes', 'Rôles', 'Coopérative', 'Listes', 'Modèle de contrat', 'Facturation', 'Connexions', 'Journal', 'Tâches de fond', 'Mon compte'],
    refused: ['/admin/cooperatives', '/admin/cooperatives/new', '/admin/jobs'],
  },
  ...['validation', 'accounting', 'payroll', 'coaching'].map((key) => ({
    key,
    title: `support team (${key})`,
    lands: S,
    // Validation, accounting and payroll read the sales and spending; coaching does not. Accounting
    // keeps the books; payroll prepares the month's pay.
    menu: key === 'coaching'
      ? ['Accueil', 'Annuaire', 'Activités', 'Simulateur de salaire', 'Personnes', 'Échéances', 'Accompagnement', 'Ateliers', 'Formations', 'Comptes', 'Mon compte']
      : key === 'accounting'
        ? ['Accueil', 'Annuaire', 'Activités', 'Devis', 'Factures', 'Clients', 'Frais et achats', 'Simulateur de salaire', 'Comptabilité', 'Personnes', 'Échéances', 'Comptes', 'Mon compte']
        : key === 'payroll'
          ? ['Accueil', 'Annuaire', 'Activités', 'Devis', 'Factures', 'Clients', 'Frais et achats', 'Simulateur de salaire', 'Paie', 'Personnes', 'Échéances', 'Comptes', 'Mon compte']
          : ['Accueil', 'Annuaire', 'Activités', 'Devis', 'Factures', 'Clients', 'Frais et achats', 'Simulateur de salaire', 'Personnes', 'Échéances', 'Comptes', 'Mon compte'],
    refused: [`${S}/roles`, `${S}/settings`, `${S}/sessions`, `${S}/audit`, `${S}/jobs`, '/admin/cooperatives'],
  })),
  {
    key: 'entrepreneur',
    title: 'entrepreneur',
    lands: S,
    menu: ['Accueil', 'Annuaire', 'Activités', 'Devis', 'Factures', 'Clients', 'Frais et achats', 'Simulateur de salaire', 'Mes rendez-vous', 'Ateliers', 'Formations', 'Mon compte'],
    refused: [`${S}/members`, `${S}/people`, `${S}/books`, `${S}/deadlines`, `${S}/roles`, `${S}/settings`, `${S}/audit`, `${S}/jobs`, '/admin/cooperatives'],
  },
  {
    key: 'member',
    title: 'member',
    lands: S,
    menu: ['Accueil', 'Annuaire', 'Ateliers', 'Mon compte'],
    refused: [`${S}/members`, `${S}/settings`, `${S}/audit`, '/admin/cooperatives'],
  },
  {
    key: 'readOnly',
    title: 'read only',
    lands: S,
    menu: ['Accueil', 'Annuaire', 'Comptes', 'Journal', 'Mon compte'],
    refused: [`${S}/people`, `${S}/deadlines`, `${S}/roles`, `${S}/settings`, `${S}/sessions`, `${S}/jobs`, '/admin/cooperatives'],
  },
];

const FORBIDDEN_TEXT = "Vous n'avez pas la permission";
const NOT_FOUND_TEXT = "Cette page n'existe pas, ou vous n'y avez pas accès.";

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

for (const role of ROLES) {
  describe(`as ${role.title} (${ACCOUNTS[role.key]})`, () => {
    let context;
    let page;

    before(async () => {
      context = await newContext(browser);
      page = await newPage(context);
    });

    after(async () => {
      await context?.close();
    });

    it('signs in through the form and lands on its home page', async (t) => {
      await signIn(page, app.base, ACCOUNTS[role.key]);
      assert.equal(new URL(page.url()).pathname, role.lands);
      await assertH1(page, 'home page');
      await checkA11y(page, `home page of ${role.key}`, t);
      await screenshot(page, `home-${role.key}`);
    });

    it('has the expected main menu', async () => {
      const links = await mainNavLinks(page);
      assert.deepEqual(
        links.map((l) => l.label),
        role.menu,
      );
      // The header also offers the language switch and sign-out.
      await page.getByRole('button', { name: 'English' }).waitFor();
      await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    });

    it('walks every link of the main menu: each page loads, has an <h1>, and passes axe', async (t) => {
      const links = await mainNavLinks(page);
      const failures = [];
      for (const link of links) {
        const nav = page.getByRole('navigation', { name: 'Menu principal' });
        const res = await navigation(page, () => nav.getByRole('link', { name: link.label, exact: true }).click());
        const where = `"${link.label}" (${link.href})`;
        try {
          assert.ok(res.status() < 400, `${where} answered HTTP ${res.status()}`);
          assert.equal(new URL(page.url()).pathname, link.href, `${where} led elsewhere`);
          await assertH1(page, where);
          await checkA11y(page, where, t);
        } catch (e) {
          failures.push(e.message);
        }
      }
      assertNoProblems(page);
      assert.deepEqual(failures, [], failures.join('\n\n'));
    });

    it('the menu marks exactly the page shown as the current page', async () => {
      await visit(page, app.base, role.lands);
      const links = await mainNavLinks(page);
      const wrong = [];
      for (const link of links) {
        await visit(page, app.base, link.href);
        const current = await page
          .getByRole('navigation', { name: 'Menu principal' })
          .locator('a[aria-current="page"]')
          .evaluateAll((as) => as.map((a) => a.textContent.trim()));
        if (current.length !== 1 || current[0] !== link.label) {
          wrong.push(`on ${link.href} the links marked aria-current="page" are [${current.join(', ')}], expected [${link.label}]`);
        }
      }
      assert.deepEqual(wrong, [], wrong.join('\n'));
    });

    if (role.refused.length) {
      it('is refused the pages its role does not allow (403, French message)', async (t) => {
        for (const path of role.refused) {
          const res = await visit(page, app.base, path);
          assert.equal(res.status(), 403, `${path} answered ${res.status()}`);
          await assertH1(page, `refusal of ${path}`);
          await page.getByRole('alert').filter({ hasText: FORBIDDEN_TEXT }).waitFor();
          assert.equal(new URL(page.url()).pathname, path, 'a refusal does not redirect');
        }
        await checkA11y(page, `refusal page (${role.refused.at(-1)})`, t);
        if (role.key === 'entrepreneur') await screenshot(page, 'refused-entrepreneur');
      });
    }

    it('gets "not found" for a cooperative it has no role in', async () => {
      for (const path of [...(role.notFound || []), '/c/une-autre-cooperative', '/c/une-autre-cooperative/members']) {
        const res = await visit(page, app.base, path);
        assert.equal(res.status(), 404, `${path} answered ${res.status()}`);
        await page.getByRole('alert').filter({ hasText: NOT_FOUND_TEXT }).waitFor();
      }
    });

    it('signs out with the header button', async () => {
      await visit(page, app.base, '/account');
      await navigation(page, () => page.getByRole('button', { name: 'Se déconnecter' }).click());
      assert.equal(new URL(page.url()).pathname, '/login');
      const res = await visit(page, app.base, '/account');
      assert.equal(new URL(page.url()).pathname, '/login', `after sign-out /account answered ${res.status()} at ${page.url()}`);
      assertNoProblems(page);
    });
  });
}
