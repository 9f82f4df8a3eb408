// Shared helpers of the browser suite: start the demo server, drive Chromium, sign in, run axe.
//
// Every test file starts its own demo server on a fresh SQLite file in a temporary folder and on
// a free port, and its own Chromium, so the files do not depend on each other.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const BIN = process.env.ESSAIM_BIN || resolve(here, '../../target/debug/essaim');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const SLUG = 'cooperative-l-essaim';
export const COOP = `/c/${SLUG}`;
export const PASSWORD = 'essaim-demo-2026';
export const SCREENSHOTS = join(here, 'screenshots');

/** The demo accounts, by the name used in test titles. */
export const ACCOUNTS = {
  host: 'hebergement@demo.essaim.coop',
  admin: 'admin@demo.essaim.coop',
  validation: 'validation@demo.essaim.coop',
  accounting: 'comptabilite@demo.essaim.coop',
  payroll: 'paie@demo.essaim.coop',
  coaching: 'accompagnement@demo.essaim.coop',
  entrepreneur: 'entrepreneur@demo.essaim.coop',
  member: 'associe@demo.essaim.coop',
  readOnly: 'lecture@demo.essaim.coop',
};

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** A TCP port that was free a moment ago. */
async function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/** Waits (without fixed sleeps) until `GET /healthz` answers `ok`, or the server exits. */
async function waitHealthy(base, child, deadlineMs) {
  const until = Date.now() + deadlineMs;
  let last = '';
  while (Date.now() < until) {
    if (child.exitCode !== null) {
      throw new Error(`essaim exited with code ${child.exitCode} before answering /healthz`);
    }
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      const body = (await res.text()).trim();
      if (res.ok && body === 'ok') return;
      last = `${res.status} ${body}`;
    } catch (e) {
      last = String(e.cause?.code || e.message);
    }
    // Polling a local health endpoint: the only wait that is not on an event.
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`essaim did not answer /healthz in time (last: ${last})`);
}

/**
 * Starts `essaim demo` on a fresh database and a free port.
 * Returns { base, stop(), log() }.
 */
export async function startApp() {
  if (!existsSync(BIN)) {
    throw new Error(
      `The essaim binary is missing at ${BIN}: build it with \`cargo build -p essaim-cli\` or set ESSAIM_BIN.`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'essaim-browser-'));
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const db = join(dir, `demo-${attempt}.db`);
    const child = spawn(
      BIN,
      [
        'demo',
        '--database-url',
        `sqlite://${db}?mode=rwc`,
        '--listen',
        `127.0.0.1:${port}`,
        '--entrepreneurs',
        '30',
        // Uploads and the demo's secret key stay in the test's own folder.
        '--data-dir',
        join(dir, `data-${attempt}`),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    // If this test process dies without its `after` hook, the server goes with it.
    const reap = () => child.exitCode === null && child.kill('SIGKILL');
    process.once('exit', reap);
    child.once('exit', () => process.off('exit', reap));
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    try {
      await waitHealthy(base, child, 30_000);
      return {
        base,
        log: () => output,
        /** Resolves with the first match of `re` in the server's output, waiting for new output. */
        waitForLog(re, timeoutMs = 10_000) {
          return new Promise((ok, fail) => {
            const look = () => {
              const m = output.match(re);
              if (!m) return false;
              cleanup();
              ok(m);
              return true;
            };
            const onData = () => look();
            const timer = setTimeout(() => {
              cleanup();
              fail(new Error(`no ${re} in the server output after ${timeoutMs} ms`));
            }, timeoutMs);
            const cleanup = () => {
              clearTimeout(timer);
              child.stdout.off('data', onData);
              child.stderr.off('data', onData);
            };
            child.stdout.on('data', onData);
            child.stderr.on('data', onData);
            look();
          });
        },
        async stop() {
          if (child.exitCode === null) {
            const exited = new Promise((r) => child.once('exit', r));
            child.kill('SIGTERM');
            const t = setTimeout(() => child.kill('SIGKILL'), 5000);
            await exited;
            clearTimeout(t);
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (e) {
      lastError = new Error(`${e.message}\n--- server output ---\n${output}`);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
}

/**
 * A fresh context (no cookies) in French, as a French visitor's browser would be.
 * CSP is *not* bypassed: axe is evaluated through the DevTools protocol, which the page's CSP
 * does not govern, so the tests also see what the real CSP would block.
 */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({
    locale: 'fr-FR',
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(10_000);
  return context;
}

/**
 * Opens a page that records what must never happen: CSP refusals and uncaught page errors.
 * `page.problems` lists them.
 */
export async function newPage(context) {
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) {
      page.problems.push(`CSP on ${page.url()}: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => page.problems.push(`page error on ${page.url()}: ${err.message}`));
  return page;
}

/** Goes to a path and returns the main document response. */
export async function visit(page, base, path) {
  const res = await page.goto(base + path, { waitUntil: 'load' });
  assert.ok(res, `no response for ${path}`);
  return res;
}

/**
 * Runs `action` (which should cause a navigation of the main frame) and returns the response of
 * the last document that the navigation landed on (after redirects), once it has loaded.
 */
export async function navigation(page, action) {
  const responses = [];
  const onResponse = (r) => {
    const req = r.request();
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) responses.push(r);
  };
  page.on('response', onResponse);
  try {
    await Promise.all([page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() }), action()]);
    await page.waitForLoadState('load');
  } finally {
    page.off('response', onResponse);
  }
  // The last navigation response is the page now shown (redirects come before it).
  const shown = responses.filter((r) => r.status() < 300 || r.status() >= 400);
  assert.ok(shown.length > 0, `the navigation from ${page.url()} gave no document response`);
  return shown[shown.length - 1];
}

/** Signs in through the form on /login and returns the response of the page landed on. */
export async function signIn(page, base, email, password = PASSWORD) {
  await visit(page, base, '/login');
  await page.getByLabel(/^Adresse e-mail/).fill(email);
  await page.getByLabel(/^Mot de passe/).fill(password);
  const res = await navigation(page, () => page.getByRole('button', { name: 'Se connecter' }).click());
  assert.ok(res.status() < 400, `sign-in of ${email} answered ${res.status()} at ${page.url()}`);
  assert.ok(!new URL(page.url()).pathname.startsWith('/login'), `sign-in of ${email} stayed on ${page.url()}`);
  return res;
}

/** The links of the main navigation: [{ label, href }]. */
export async function mainNavLinks(page) {
  const nav = page.getByRole('navigation', { name: 'Menu principal' });
  await nav.waitFor();
  return nav.locator('a').evaluateAll((as) =>
    as.map((a) => ({ label: a.textContent.trim(), href: a.getAttribute('href') })),
  );
}

/** Formats axe violations so that a failure says what to fix and where. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map((n) => `      - ${n.target.join(' ')}${n.failureSummary ? `\n        ${n.failureSummary.replace(/\n/g, '\n        ')}` : ''}`)
        .join('\n');
      const more = v.nodes.length > 8 ? `\n      … and ${v.nodes.length - 8} more` : '';
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}${more}`;
    })
    .join('\n');
}

/**
 * Runs axe-core on the page as it is, and asserts no violation of impact serious or critical.
 * Minor and moderate ones are printed as diagnostics but do not fail.
 */
export async function checkA11y(page, label, t) {
  const already = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!already) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  const blocking = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const other = result.filter((v) => !blocking.includes(v));
  if (other.length && t) {
    for (const line of `axe (minor/moderate) on ${label}:\n${formatViolations(other)}`.split('\n')) t.diagnostic(line);
  }
  assert.equal(
    blocking.length,
    0,
    `axe found ${blocking.length} serious/critical violation(s) on ${label} (${page.url()}):\n${formatViolations(blocking)}`,
  );
}

/** Asserts the page shows exactly one <h1> with some text, and returns that text. */
export async function assertH1(page, label) {
  const h1 = page.locator('h1');
  const count = await h1.count();
  assert.ok(count >= 1, `no <h1> on ${label} (${page.url()})`);
  const text = (await h1.first().textContent()).trim();
  assert.ok(text.length > 0, `empty <h1> on ${label} (${page.url()})`);
  return text;
}

export function assertNoProblems(page) {
  assert.deepEqual(page.problems, [], `the browser reported problems:\n${page.problems.join('\n')}`);
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
