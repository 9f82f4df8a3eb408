// The pages anyone sees before signing in: sign-in, forgotten password, reset, the error page.
// Accessibility (axe), keyboard use, the language switch, a bad sign-in, anonymous redirects.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACCOUNTS,
  COOP,
  PASSWORD,
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

/** Runs `fn(page)` in a fresh context (no cookies), then closes it. */
async function fresh(fn, options) {
  const context = await newContext(browser, options);
  try {
    const page = await newPage(context);
    await fn(page);
    assertNoProblems(page);
  } finally {
    await context.close();
  }
}

describe('pages seen before signing in', () => {
  it('the sign-in page is in French, labelled, and passes axe', async (t) => {
    await fresh(async (page) => {
      const res = await visit(page, app.base, '/login');
      assert.equal(res.status(), 200);
      assert.equal(await page.getAttribute('html', 'lang'), 'fr');
      assert.equal(await assertH1(page, 'sign-in page'), 'Se connecter');
      assert.match(await page.title(), /Se connecter/);
      // The fields are found by their labels.
      assert.equal(await page.getByLabel(/^Adresse e-mail/).getAttribute('id'), 'f-email');
      assert.equal(await page.getByLabel(/^Mot de passe/).getAttribute('id'), 'f-password');
      await page.getByRole('button', { name: 'Se connecter' }).waitFor();
      await checkA11y(page, 'sign-in page', t);
      await screenshot(page, 'login');
    });
  });

  it('the forgotten-password page passes axe, before and after sending the form', async (t) => {
    await fresh(async (page) => {
      await visit(page, app.base, '/login');
      await navigation(page, () => page.getByRole('link', { name: 'Mot de passe oublié ?' }).click());
      assert.equal(new URL(page.url()).pathname, '/password/forgot');
      assert.equal(await assertH1(page, 'forgotten-password page'), 'Mot de passe oublié');
      await checkA11y(page, 'forgotten-password page', t);

      await page.getByLabel(/^Adresse e-mail/).fill('personne@exemple.invalid');
      const res = await navigation(page, () => page.getByRole('button', { name: 'Recevoir le lien' }).click());
      assert.ok(res.status() < 400, `sending the form answered ${res.status()}`);
      await page.getByRole('status').filter({ hasText: 'Si un compte correspond à cette adresse' }).waitFor();
      await checkA11y(page, 'forgotten-password page, sent', t);
    });
  });

  it('a reset link from the e-mail opens a page that passes axe, and the new password works', async (t) => {
    // An account no other test of this file signs in with, since its password changes here.
    const email = ACCOUNTS.readOnly;
    const newPassword = 'une phrase assez longue 2026';
    await fresh(async (page) => {
      await visit(page, app.base, '/password/forgot');
      await page.getByLabel(/^Adresse e-mail/).fill(email);
      await navigation(page, () => page.getByRole('button', { name: 'Recevoir le lien' }).click());
      // Without SMTP the e-mail is written to the server's log.
      const [link] = await app.waitForLog(/http:\/\/\S+\/password\/reset\/[0-9a-f]+/);
      const path = new URL(link).pathname;

      const res = await visit(page, app.base, path);
      assert.equal(res.status(), 200);
      assert.equal(await assertH1(page, 'reset page'), 'Choisir un nouveau mot de passe');
      await checkA11y(page, 'password reset page', t);
      await page.getByLabel(/^Nouveau mot de passe \*?$/).fill(newPassword);
      await page.getByLabel(/^Nouveau mot de passe, encore une fois/).fill(newPassword);
      await navigation(page, () => page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click());
      assert.equal(new URL(page.url()).pathname, '/login');
      await page.getByRole('status').filter({ hasText: 'Votre mot de passe a été changé' }).waitFor();

      // The link works only once.
      await visit(page, app.base, path);
      await page.getByRole('alert').filter({ hasText: 'Ce lien ne fonctionne plus' }).waitFor();
      await checkA11y(page, 'password reset page, used link', t);

      await signIn(page, app.base, email, newPassword);
      assert.equal(new URL(page.url()).pathname, COOP);
      // The old password no longer works.
      await navigation(page, () => page.getByRole('button', { name: 'Se déconnecter' }).click());
      await page.getByLabel(/^Adresse e-mail/).fill(email);
      await page.getByLabel(/^Mot de passe/).fill(PASSWORD);
      await navigation(page, () => page.getByRole('button', { name: 'Se connecter' }).click());
      assert.equal((await page.locator('#e-password').textContent()).trim(), 'Adresse e-mail ou mot de passe incorrect.');
    });
  });

  it('the error page (unknown address) answers 404 in French and passes axe', async (t) => {
    await fresh(async (page) => {
      const res = await visit(page, app.base, '/cette-page-n-existe-pas');
      assert.equal(res.status(), 404);
      assert.equal(await assertH1(page, 'error page'), "Impossible d'afficher cette page");
      await page.getByRole('alert').filter({ hasText: "Cette page n'existe pas" }).waitFor();
      await checkA11y(page, 'error page (404)', t);
      await screenshot(page, 'error-404');
      // Its way out: home, which for an anonymous visitor is the sign-in page.
      await navigation(page, () => page.getByRole('link', { name: "Revenir à l'accueil" }).click());
      assert.equal(new URL(page.url()).pathname, '/login');
    });
  });
});

describe('keyboard', () => {
  it('Tab first reaches the "Aller au contenu" skip link, then the fields; Enter submits', async () => {
    await fresh(async (page) => {
      await visit(page, app.base, '/login');
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => ({
        tag: document.activeElement.tagName,
        text: document.activeElement.textContent.trim(),
        href: document.activeElement.getAttribute('href'),
      }));
      assert.deepEqual(first, { tag: 'A', text: 'Aller au contenu', href: '#main' });
      // Focused, the skip link is on screen.
      const box = await page.locator('a.skip').boundingBox();
      assert.ok(box && box.x >= 0 && box.y >= 0, `the focused skip link is off screen: ${JSON.stringify(box)}`);

      // Enter on the skip link moves focus to the main content.
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'main');

      // Tab on, to the e-mail field (a bounded number of presses).
      const focusedId = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
      const seen = [];
      for (let i = 0; i < 10 && (await focusedId()) !== 'f-email'; i++) {
        await page.keyboard.press('Tab');
        seen.push(await focusedId());
      }
      assert.equal(await focusedId(), 'f-email', `Tab went through ${seen.join(' → ')} without reaching the e-mail field`);
      await page.keyboard.type(ACCOUNTS.entrepreneur);
      await page.keyboard.press('Tab');
      assert.equal(await focusedId(), 'f-password', 'Tab from the e-mail field should reach the password field');
      await page.keyboard.type(PASSWORD);
      const res = await navigation(page, () => page.keyboard.press('Enter'));
      assert.ok(res.status() < 400);
      assert.equal(new URL(page.url()).pathname, COOP);
      await assertH1(page, 'home after keyboard sign-in');
    });
  });
});

describe('language', () => {
  it('"English" shows the sign-in page in English with <html lang="en">, and "Français" goes back', async (t) => {
    await fresh(async (page) => {
      await visit(page, app.base, '/login');
      assert.equal(await page.getAttribute('html', 'lang'), 'fr');
      await navigation(page, () => page.getByRole('button', { name: 'English' }).click());
      assert.equal(new URL(page.url()).pathname, '/login');
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.equal(await assertH1(page, 'sign-in page in English'), 'Sign in');
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await checkA11y(page, 'sign-in page in English', t);

      // The choice sticks across pages.
      await visit(page, app.base, '/password/forgot');
      assert.equal(await page.getAttribute('html', 'lang'), 'en');

      await navigation(page, () => page.getByRole('button', { name: 'Français' }).click());
      assert.equal(new URL(page.url()).pathname, '/password/forgot');
      assert.equal(await page.getAttribute('html', 'lang'), 'fr');
      assert.equal(await assertH1(page, 'forgotten-password page'), 'Mot de passe oublié');
    });
  });

  it('the switch also works once signed in, and keeps the page', async () => {
    await fresh(async (page) => {
      await signIn(page, app.base, ACCOUNTS.admin);
      await visit(page, app.base, `${COOP}/members`);
      await navigation(page, () => page.getByRole('button', { name: 'English' }).click());
      assert.equal(new URL(page.url()).pathname, `${COOP}/members`);
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      await page.getByRole('navigation', { name: 'Main menu' }).waitFor();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      // The choice is kept on the account: put French back, so other tests see the default.
      await navigation(page, () => page.getByRole('button', { name: 'Français' }).click());
      assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    });
  });
});

describe('sign-in errors and redirects', () => {
  it('a wrong password shows the French error beside the password field and keeps the e-mail', async (t) => {
    await fresh(async (page) => {
      await visit(page, app.base, '/login');
      await page.getByLabel(/^Adresse e-mail/).fill(ACCOUNTS.admin);
      await page.getByLabel(/^Mot de passe/).fill('pas le bon mot de passe');
      const res = await navigation(page, () => page.getByRole('button', { name: 'Se connecter' }).click());
      assert.ok(res.status() >= 200 && res.status() < 500, `answered ${res.status()}`);
      assert.equal(new URL(page.url()).pathname, '/login');

      const password = page.locator('#f-password');
      const error = page.locator('#e-password');
      assert.equal((await error.textContent()).trim(), 'Adresse e-mail ou mot de passe incorrect.');
      // Beside the field: in the same field group, and tied to the input for screen readers.
      const sameField = await error.evaluate((e) => e.closest('.field')?.querySelector('#f-password') !== null);
      assert.ok(sameField, 'the error is not in the password field group');
      assert.equal(await password.getAttribute('aria-invalid'), 'true');
      assert.match((await password.getAttribute('aria-describedby')) || '', /\be-password\b/);
      // The e-mail is kept, the password is not.
      assert.equal(await page.locator('#f-email').inputValue(), ACCOUNTS.admin);
      assert.equal(await password.inputValue(), '');
      await checkA11y(page, 'sign-in page with an error', t);
      await screenshot(page, 'login-error');
    });
  });

  it('an anonymous visit to a cooperative page redirects to the sign-in page, then back there', async () => {
    await fresh(async (page) => {
      for (const path of [COOP, '/', '/account', `${COOP}/audit`]) {
        const res = await visit(page, app.base, path);
        assert.equal(res.status(), 200);
        const url = new URL(page.url());
        assert.equal(url.pathname, '/login', `${path} did not redirect to /login`);
        assert.equal(url.searchParams.get('next'), path);
        await page.getByRole('heading', { level: 1, name: 'Se connecter' }).waitFor();
      }
      // Signing in from there goes back to the page asked for.
      await visit(page, app.base, `${COOP}/members`);
      await page.getByLabel(/^Adresse e-mail/).fill(ACCOUNTS.admin);
      await page.getByLabel(/^Mot de passe/).fill(PASSWORD);
      await navigation(page, () => page.getByRole('button', { name: 'Se connecter' }).click());
      assert.equal(new URL(page.url()).pathname, `${COOP}/members`);
      await page.getByRole('heading', { level: 1, name: 'Comptes de la coopérative' }).waitFor();
    });
  });

  it('a "next" pointing to another site is not followed', async () => {
    await fresh(async (page) => {
      // Nothing may leave this machine: any request to another host fails the test.
      const outside = [];
      await page.route((url) => url.hostname !== '127.0.0.1', (route) => {
        outside.push(route.request().url());
        return route.abort();
      });
      await visit(page, app.base, '/login?next=' + encodeURIComponent('//example.org/'));
      await page.getByLabel(/^Adresse e-mail/).fill(ACCOUNTS.admin);
      await page.getByLabel(/^Mot de passe/).fill(PASSWORD);
      await navigation(page, () => page.getByRole('button', { name: 'Se connecter' }).click());
      assert.equal(new URL(page.url()).origin, app.base);
      assert.deepEqual(outside, []);
    });
  });
});
