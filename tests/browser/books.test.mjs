// The books, end to end in a real browser (issue 7): the accounting team imports a CAMT.053 bank
// statement whose line pays an open invoice, confirms the proposed match (the invoice is paid,
// the line leaves the queue), closes January, and downloads the FEC of last year. An
// entrepreneur is refused the books.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ACCOUNTS, COOP, startApp, launchBrowser, newContext, newPage, navigation, signIn, checkA11y, assertH1, assertNoProblems, mainNavLinks, screenshot, visit } from './helpers.mjs';

const FORBIDDEN_TEXT = "Vous n'avez pas la permission";
const FEC_HEADER = 'JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise';

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

/** `2 160,00 €` → `2160.00`. */
function camtAmount(text) {
  return text.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
}

/** A CAMT.053 statement with one line (a credit by default). */
function camt({ day, amount, reference, debtor, bankRef, side = 'CRDT' }) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
<BkToCstmrStmt>
<GrpHdr><MsgId>MSG-BROWSER-1</MsgId><CreDtTm>${day}T07:00:00</CreDtTm></GrpHdr>
<Stmt>
<Id>STMT-BROWSER-1</Id>
<Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></Acct>
<Ntry>
<Amt Ccy="EUR">${amount}</Amt>
<CdtDbtInd>${side}</CdtDbtInd>
<Sts>BOOK</Sts>
<BookgDt><Dt>${day}</Dt></BookgDt>
<ValDt><Dt>${day}</Dt></ValDt>
<AcctSvcrRef>${bankRef}</AcctSvcrRef>
<NtryDtls><TxDtls>
<Refs><EndToEndId>${reference}</EndToEndId></Refs>
<RltdPties><Dbtr><Nm>${debtor}</Nm></Dbtr></RltdPties>
<RmtInf><Ustrd>VIREMENT ${debtor} FACTURE ${reference}</Ustrd></RmtInf>
</TxDtls></NtryDtls>
</Ntry>
</Stmt>
</BkToCstmrStmt>
</Document>
`;
}

describe('the accounting team keeps the books', () => {
  let context;
  let page;
  let invoiceUrl;
  let number;
  let statement;
  const today = new Date().toISOString().slice(0, 10);
  const year = Number(today.slice(0, 4));

  before(async () => {
    context = await newContext(browser, { acceptDownloads: true });
    page = await newPage(context);
    await signIn(page, app.base, ACCOUNTS.accounting);
  });

  after(async () => {
    await context?.close();
  });

  it('the menu leads to the books, whose pages pass axe', async (t) => {
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    await navigation(page, () => nav.getByRole('link', { name: 'Comptabilité', exact: true }).click());
    assert.equal(new URL(page.url()).pathname, `${COOP}/books`);
    assert.equal(await assertH1(page, 'books'), 'Comptabilité');
    await checkA11y(page, 'books home', t);
    for (const [link, h1] of [
      ['Balance générale', 'Balance générale'],
      ['Écritures', 'Écritures'],
      ['Balance analytique', 'Balance analytique'],
      ['Synthèse de TVA', 'Synthèse de TVA'],
      ['Plan comptable et journaux', 'Plan comptable et journaux'],
    ]) {
      await visit(page, app.base, `${COOP}/books`);
      await navigation(page, () => page.getByRole('main').getByRole('link', { name: link, exact: true }).click());
      assert.equal(await assertH1(page, link), h1);
      await checkA11y(page, link, t);
    }
    // A manual entry: six blank lines, an unbalanced entry told above its lines.
    await visit(page, app.base, `${COOP}/books/entries/new`);
    assert.equal(await page.getByRole('group', { name: /^Ligne \d+$/ }).count(), 6);
    await checkA11y(page, 'manual entry form', t);
    assertNoProblems(page);
  });

  it('finds an open invoice', async () => {
    await visit(page, app.base, `${COOP}/invoices?status=issued`);
    // Not one of the most recent: the demo's own statement pays those (it waits in the queue).
    const href = await page.locator('tbody tr a').last().getAttribute('href');
    assert.match(href, /\/sales\/\d+$/);
    invoiceUrl = href;
    await visit(page, app.base, invoiceUrl);
    number = (await page.locator('h1').textContent()).match(/F\d{4}-\d{5}/)[0];
    const main = page.getByRole('main');
    const outstanding = (await main.locator('dt', { hasText: 'Reste à payer' }).locator('xpath=following-sibling::dd[1]').textContent()).trim();
    const customer = (await main.locator('dt', { hasText: /^Client$/ }).locator('xpath=following-sibling::dd[1]').textContent()).trim();
    assert.match(outstanding, /^[\d\s\u202f]+,\d\d\u00a0€$/);
    statement = camt({ day: today, amount: camtAmount(outstanding), reference: number, debtor: customer, bankRef: `BROWSER-${number}` });
  });

  it('imports a CAMT.053 statement, confirms the proposed match, and the invoice is paid', async (t) => {
    await visit(page, app.base, `${COOP}/books/bank`);
    assert.equal(await assertH1(page, 'bank'), 'Banque');
    const waiting = async () => Number((await page.getByText(/^\d+ ligne\(s\) en attente\.$/).textContent()).match(/^\d+/)[0]);
    const before = await waiting();
    assert.ok(before > 0, 'the demo statement waits in the queue');
    await page.getByLabel('Relevé bancaire').setInputFiles({ name: 'releve.xml', mimeType: 'application/xml', buffer: Buffer.from(statement) });
    await navigation(page, () => page.getByRole('button', { name: 'Importer le relevé' }).click());
    await page.getByRole('status').filter({ hasText: '1 ligne importée, 0 doublons ignorés.' }).waitFor();
    await page.getByText(`${before + 1} ligne(s) en attente.`).waitFor();
    // The invoice is proposed first, and chosen.
    const proposal = page.getByRole('radio', { name: new RegExp(`^${number} — `) });
    assert.ok(await proposal.isChecked(), 'the best proposal is preselected');
    await checkA11y(page, 'bank queue', t);
    await screenshot(page, 'books-bank-queue');
    // Only this line is confirmed: the demo's lines are set aside for now.
    for (const other of await page.getByRole('radio', { name: "Ne pas rapprocher pour l'instant" }).all()) {
      const group = other.locator('xpath=ancestor::fieldset[1]');
      if ((await group.getByRole('radio', { name: new RegExp(`^${number} — `) }).count()) === 0) await other.check();
    }
    await navigation(page, () => page.getByRole('button', { name: 'Confirmer la sélection' }).click());
    await page.getByRole('status').filter({ hasText: '1 rapprochement(s) confirmé(s)' }).waitFor();
    await page.getByText(`${before} ligne(s) en attente.`).waitFor();
    assert.equal(await page.getByRole('radio', { name: new RegExp(`^${number} — `) }).count(), 0, 'the line left the queue');
    // The same file again: nothing new.
    await page.getByLabel('Relevé bancaire').setInputFiles({ name: 'releve.xml', mimeType: 'application/xml', buffer: Buffer.from(statement) });
    await navigation(page, () => page.getByRole('button', { name: 'Importer le relevé' }).click());
    await page.getByRole('status').filter({ hasText: '0 lignes importées, 1 doublon ignoré.' }).waitFor();
    // The invoice is paid, and its page lists the bank entry of the payment.
    await visit(page, app.base, invoiceUrl);
    assert.equal((await page.locator('main .status').first().textContent()).trim(), 'Payée');
    const entries = page.getByRole('region', { name: 'Écritures comptables' });
    const bank = entries.getByRole('link', { name: /^BQ\d{4}-\d{6}$/ });
    assert.equal(await bank.count(), 1);
    await navigation(page, () => bank.click());
    await assertH1(page, 'bank entry');
    assert.match(await page.getByRole('main').textContent(), /Paiement d'une facture/);
    assert.equal(await page.getByRole('main').locator(`a[href="${invoiceUrl}"]`).count(), 1, 'the entry links to its invoice');
    await checkA11y(page, 'entry page', t);
    assertNoProblems(page);
  });

  it('tells an unreadable statement beside the file field, with its line', async () => {
    await visit(page, app.base, `${COOP}/books/bank`);
    await page.getByLabel('Relevé bancaire').setInputFiles({ name: 'tronque.xml', mimeType: 'application/xml', buffer: Buffer.from(statement.slice(0, 600)) });
    const res = await navigation(page, () => page.getByRole('button', { name: 'Importer le relevé' }).click());
    assert.equal(res.status(), 422);
    assert.match((await page.locator('#e-file').textContent()).trim(), /^Ligne \d+ : XML mal formé ou fichier tronqué\.$/);
    assert.equal(await page.getByLabel('Relevé bancaire').getAttribute('aria-invalid'), 'true');
  });

  it('closes January', async (t) => {
    if (today.slice(5, 7) === '01') {
      t.skip('January is not over yet');
      return;
    }
    await visit(page, app.base, `${COOP}/books`);
    const month = page.getByLabel('Mois', { exact: true });
    assert.equal(await month.inputValue(), `${year}-01-31`, 'the first open month is January (the demo closes past years only)');
    await navigation(page, () => page.getByRole('button', { name: 'Clôturer le mois' }).click());
    await page.getByRole('status').filter({ hasText: 'Le mois est clôturé.' }).waitFor();
    assert.match(await page.getByRole('main').textContent(), new RegExp(`clôturés jusqu'au 31/01/${year} inclus`));
  });

  it('downloads the FEC of last year', async () => {
    await visit(page, app.base, `${COOP}/books`);
    const link = page.getByRole('link', { name: `FEC de l'exercice clos le 31/12/${year - 1}` });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.match(download.suggestedFilename(), new RegExp(`^\\d{9}FEC${year - 1}1231\\.txt$`));
    const text = readFileSync(await download.path(), 'latin1');
    assert.equal(text.split('\r\n')[0], FEC_HEADER);
    assert.ok(text.split('\r\n').length > 10, 'the FEC has lines');
  });
});

/** Fails when the page scrolls sideways or a panel's content spills over its border. */
async function assertFits(page, width, label) {
  const { scrollWidth, spilling } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    spilling: [...document.querySelectorAll('main .panel, main fieldset')]
      .filter((p) => p.scrollWidth > p.clientWidth + 1)
      .map((p) => `"${p.querySelector('h2, h3, legend')?.textContent.trim() || p.className}": ${p.scrollWidth}px in ${p.clientWidth}px`),
  }));
  assert.ok(scrollWidth <= width, `${label} scrolls sideways at ${width}px (${scrollWidth}px)`);
  assert.deepEqual(spilling, [], `${label}: content spills out of its panel`);
}

describe('on a phone', () => {
  const PHONE = { width: 360, height: 740 };
  let context;
  let page;

  before(async () => {
    context = await newContext(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
    page = await newPage(context);
    await signIn(page, app.base, ACCOUNTS.accounting);
  });

  after(async () => {
    await context?.close();
  });

  it('the books fit the screen, and a bank fee is booked to an account', async (t) => {
    for (const path of ['', '/balance', '/entries', '/entries/new', '/analytic', '/vat', '/chart', '/ledger/411000']) {
      await visit(page, app.base, `${COOP}/books${path}`);
      await assertFits(page, PHONE.width, `/books${path}`);
    }
    const today = new Date().toISOString().slice(0, 10);
    const fee = camt({ day: today, amount: '12.50', reference: 'FRAIS-TENUE-COMPTE', debtor: 'Banque Coopérative', bankRef: 'BROWSER-FEE-1', side: 'DBIT' });
    await visit(page, app.base, `${COOP}/books/bank`);
    await page.getByLabel('Relevé bancaire').setInputFiles({ name: 'frais.xml', mimeType: 'application/xml', buffer: Buffer.from(fee) });
    await navigation(page, () => page.getByRole('button', { name: 'Importer le relevé' }).click());
    await page.getByRole('status').filter({ hasText: '1 ligne importée' }).waitFor();
    await assertFits(page, PHONE.width, '/books/bank with a line');
    const line = page.locator('article').filter({ hasText: 'FRAIS-TENUE-COMPTE' });
    await line.getByText('Comptabiliser sur un compte').click();
    await line.getByLabel('Compte', { exact: true }).fill('627000');
    let res = await navigation(page, () => line.getByRole('button', { name: 'Comptabiliser', exact: true }).click());
    assert.equal(res.status(), 422);
    const again = page.locator('article').filter({ hasText: 'FRAIS-TENUE-COMPTE' });
    assert.match(await again.locator('.error').first().textContent(), /demande un code analytique/);
    await checkA11y(page, 'bank line refused on a phone', t);
    await again.getByLabel('Code analytique').fill('STRUCTURE');
    res = await navigation(page, () => again.getByRole('button', { name: 'Comptabiliser', exact: true }).click());
    assert.equal(res.status(), 200);
    await page.getByRole('status').filter({ hasText: 'La ligne est comptabilisée.' }).waitFor();
    assert.equal(await page.locator('article').filter({ hasText: 'FRAIS-TENUE-COMPTE' }).count(), 0);
    await screenshot(page, 'books-bank-phone');
    assertNoProblems(page);
  });
});

describe('an entrepreneur', () => {
  it('has no books in the menu and is refused them', async () => {
    const context = await newContext(browser);
    const page = await newPage(context);
    try {
      await signIn(page, app.base, ACCOUNTS.entrepreneur);
      const labels = (await mainNavLinks(page)).map((l) => l.label);
      assert.ok(!labels.includes('Comptabilité'), `menu: ${labels.join(', ')}`);
      for (const path of [`${COOP}/books`, `${COOP}/books/bank`]) {
        const res = await visit(page, app.base, path);
        assert.equal(res.status(), 403, `${path} answered ${res.status()}`);
        await page.getByRole('alert').filter({ hasText: FORBIDDEN_TEXT }).waitFor();
      }
      assertNoProblems(page);
    } finally {
      await context.close();
    }
  });
});
