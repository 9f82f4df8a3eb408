// Layout at the sizes people use: a phone (360×740), a tablet (768×1024), a desktop (1280×900).
// Nothing may scroll sideways, and no content may spill out of its panel.

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
  visit,
  checkA11y,
  assertH1,
  screenshot,
} from './helpers.mjs';

const PHONE = { width: 360, height: 740 };
const TABLET = { width: 768, height: 1024 };

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

/** Width of the document and the elements that stick out past the viewport's right edge. */
async function sideways(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      // Skip what a scrolling container clips (a wide table in its scroll box is fine). An
      // absolutely positioned element is clipped only by its containing block and the boxes
      // around that: static boxes between it and its containing block do not clip it.
      let clipped = false;
      let free = getComputedStyle(el).position === 'absolute';
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const cs = getComputedStyle(p);
        if (free && cs.position === 'static') continue;
        free = false;
        const o = cs.overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') {
          clipped = true;
          break;
        }
      }
      if (!clipped && r.right > width + 1 && !el.classList.contains('skip')) {
        const id = el.id ? `#${el.id}` : '';
        const cls = el.classList.length ? `.${[...el.classList].join('.')}` : '';
        out.push(`${el.tagName.toLowerCase()}${id}${cls} (right edge at ${Math.round(r.right)}px)`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, width, out: out.slice(0, 10) };
  });
}

/** Panels whose content is wider than the panel itself (it spills over the border). */
async function spillingPanels(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('main .panel, main .cards li, main fieldset')]
      .filter((p) => p.scrollWidth > p.clientWidth + 1)
      .map((p) => {
        const title = p.querySelector('h2, legend')?.textContent.trim() || p.className;
        return `"${title}": content ${p.scrollWidth}px wide in a ${p.clientWidth}px panel`;
      }),
  );
}

async function assertNoSideways(page, size, label) {
  const s = await sideways(page);
  assert.ok(
    s.scrollWidth <= size.width,
    `${label} at ${size.width}px scrolls sideways: scrollWidth ${s.scrollWidth}px; sticking out: ${s.out.join(', ') || '(none found)'}`,
  );
}

for (const who of ['entrepreneur', 'admin']) {
  describe(`phone-sized (360×740), as ${who}`, () => {
    let context;
    let page;

    before(async () => {
      context = await newContext(browser, { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
      page = await newPage(context);
    });

    after(async () => {
      await context?.close();
    });

    it('the sign-in page does not scroll sideways', async () => {
      await visit(page, app.base, '/login');
      await assertNoSideways(page, PHONE, 'the sign-in page');
    });

    it('the home page does not scroll sideways, and its menu fits', async (t) => {
      await signIn(page, app.base, ACCOUNTS[who]);
      assert.equal(new URL(page.url()).pathname, COOP);
      await assertH1(page, 'home page');
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= PHONE.width, `document.documentElement.scrollWidth is ${scrollWidth}`);
      await assertNoSideways(page, PHONE, 'the home page');
      // Every menu link is on screen and big enough to tap (WCAG 2.2 target size: 24×24 px).
      const nav = page.getByRole('navigation', { name: 'Menu principal' });
      for (const link of await nav.getByRole('link').all()) {
        const box = await link.boundingBox();
        const name = (await link.textContent()).trim();
        assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width, `menu link "${name}" is off screen: ${JSON.stringify(box)}`);
        assert.ok(box.height >= 24, `menu link "${name}" is ${box.height}px high, under 24px`);
      }
      await checkA11y(page, `home page of ${who} on a phone`, t);
      await screenshot(page, `phone-home-${who}`);
    });

    it('no page of its menu scrolls sideways', async () => {
      const failures = [];
      for (const link of await mainNavLinks(page)) {
        await visit(page, app.base, link.href);
        try {
          await assertNoSideways(page, PHONE, `"${link.label}" (${link.href})`);
        } catch (e) {
          failures.push(e.message);
        }
      }
      assert.deepEqual(failures, [], failures.join('\n'));
    });
  });
}

describe('tablet-sized (768×1024), as admin', () => {
  it('the home page does not scroll sideways', async () => {
    const context = await newContext(browser, { viewport: TABLET });
    try {
      const page = await newPage(context);
      await signIn(page, app.base, ACCOUNTS.admin);
      await screenshot(page, 'tablet-home-admin');
      await assertNoSideways(page, TABLET, 'the home page');
    } finally {
      await context.close();
    }
  });
});

describe('desktop (1280×900): content stays inside its panels', () => {
  for (const who of ['admin', 'validation', 'entrepreneur', 'host']) {
    it(`on every page of the menu of ${who}`, async () => {
      const context = await newContext(browser);
      try {
        const page = await newPage(context);
        await signIn(page, app.base, ACCOUNTS[who]);
        const failures = [];
        for (const link of await mainNavLinks(page)) {
          await visit(page, app.base, link.href);
          const spill = await spillingPanels(page);
          if (spill.length) failures.push(`on ${link.href}: ${spill.join('; ')}`);
        }
        assert.deepEqual(failures, [], failures.join('\n'));
      } finally {
        await context.close();
      }
    });
  }
});
