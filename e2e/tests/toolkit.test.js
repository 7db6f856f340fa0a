// The parent toolkit in a browser, in English and Spanish, without an account: the plan
// advisor (fieldsets and legends, an error linked to its field, the advice with its citations),
// the red-flag checker (a finding with the pattern that fired, a rejected red flag that is not
// one) and the deadline calculator (deadlines, filing windows, the .ics download) — each page
// checked with axe (no serious or critical violation). Then a parent's own toolkit page.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from '../lib/server.js';
import { launchBrowser, newContext, checkAxe, screenshot } from '../lib/browser.js';
import { LANGS, signIn } from '../lib/app.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const I18N = path.join(here, '..', '..', 'crates', 'web', 'i18n');

/** The toolkit's catalogue plus the main one (simple one-line messages). */
function load(lang) {
  const map = new Map();
  for (const file of ['main.ftl', 'toolkit.ftl']) {
    for (const line of fs.readFileSync(path.join(I18N, lang, file), 'utf8').split('\n')) {
      const m = /^([a-z][a-z0-9-]*) = (.*)$/.exec(line);
      if (m) map.set(m[1], m[2].trim());
    }
  }
  return map;
}
const catalogues = { en: load('en'), es: load('es') };
function t(lang, key) {
  const v = catalogues[lang].get(key);
  assert.ok(v !== undefined, `no message ${key} in ${lang}`);
  return v;
}

let app;
let browser;
before(async () => {
  [app, browser] = await Promise.all([startDemo({ students: 20 }), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

async function anonymous(lang) {
  const context = await newContext(browser, app.base);
  const page = await context.newPage();
  await page.goto(`/language/${lang}?next=%2Ftoolkit`);
  assert.equal(await page.getAttribute('html', 'lang'), lang);
  return { context, page };
}

for (const lang of LANGS) {
  test(`plan advisor: questions, a linked error, advice with citations (${lang})`, async () => {
    const { context, page } = await anonymous(lang);
    await page.getByRole('link', { name: t(lang, 'adv-title') }).click();
    await page.getByRole('heading', { level: 1, name: t(lang, 'adv-title') }).waitFor();
    await checkAxe(page, `advisor form ${lang}`);

    // Every yes/no question is a fieldset whose legend names it.
    const suspected = page.getByRole('group', { name: t(lang, 'adv-q-suspected-disability') });
    await suspected.getByLabel(t(lang, 'adv-yes'), { exact: true }).check();
    await page.getByRole('group', { name: t(lang, 'adv-q-in-rti') }).getByLabel(t(lang, 'adv-yes'), { exact: true }).check();
    await page.getByRole('group', { name: t(lang, 'adv-q-evaluation-requested-in-writing') }).getByLabel(t(lang, 'adv-no'), { exact: true }).check();
    await page.getByLabel(t(lang, 'adv-q-age')).fill('8');
    await page.getByRole('button', { name: t(lang, 'adv-submit') }).click();
    await page.getByRole('heading', { level: 2, name: t(lang, 'adv-result-heading') }).waitFor();
    const recommendation = await page.locator('[data-recommendation]').getAttribute('data-recommendation');
    assert.equal(recommendation, 'request_iep_evaluation');
    await page.getByText(t(lang, 'adv-rec-request-iep-evaluation')).waitFor();
    // The RTI warning carries OSEP Memo 11-07; every reason has a citation.
    assert.ok((await page.locator('.warnings cite').allInnerTexts()).some((c) => c.includes('OSEP Memo 11-07')));
    const reasons = await page.locator('.reasons li').count();
    assert.equal(await page.locator('.reasons li cite').count(), reasons);
    await checkAxe(page, `advisor result ${lang}`);
    await screenshot(page, `toolkit-advisor-${lang}`);

    // "What this means for my child" on the comparison, from the same answers.
    await page.getByRole('link', { name: t(lang, 'adv-compare-link') }).click();
    await page.getByRole('heading', { level: 2, name: t(lang, 'cmp-mine-heading') }).waitFor();
    await page.getByText(t(lang, 'cmp-mine-rti')).waitFor();
    await page.getByRole('table', { name: t(lang, 'cmp-caption') }).waitFor();
    await checkAxe(page, `comparison ${lang}`);

    // A wrong answer: the summary links to the field, which is invalid and described.
    await page.goto('/toolkit/advisor?submitted=1&age=31');
    const alert = page.getByRole('alert');
    await alert.getByRole('link', { name: t(lang, 'adv-error-age') }).click();
    const age = page.getByLabel(t(lang, 'adv-q-age'));
    assert.equal(await age.getAttribute('aria-invalid'), 'true');
    assert.match(await age.getAttribute('aria-describedby'), /q-age-error/);
    await checkAxe(page, `advisor error ${lang}`);
    await context.close();
  });

  test(`red-flag checker: finding, law, reply and pattern; a rejection is no finding (${lang})`, async () => {
    const { context, page } = await anonymous(lang);
    await page.goto('/toolkit/redflags');
    await checkAxe(page, `checker form ${lang}`);
    await page.getByLabel(t(lang, 'rfc-text-label')).fill(
      'Thanks for coming in. We would like to wait and see how she does this year before any testing. Picture day is Friday.',
    );
    await page.getByRole('button', { name: t(lang, 'rfc-submit') }).click();
    const finding = page.locator('article.finding').first();
    await finding.waitFor();
    assert.equal(await finding.getAttribute('data-category'), 'wait_and_see');
    await finding.getByRole('heading', { level: 3, name: t(lang, 'rf-cat-wait-and-see') }).waitFor();
    assert.match(await finding.locator('blockquote').innerText(), /wait and see/);
    assert.match(await finding.locator('cite').innerText(), /34 CFR/);
    assert.match(await finding.locator('code').innerText(), /^wait_and_see\//);
    await checkAxe(page, `checker findings ${lang}`);
    await screenshot(page, `toolkit-redflags-${lang}`);

    await page.getByLabel(t(lang, 'rfc-text-label')).fill('We will not wait and see; the evaluation starts next week.');
    await page.getByRole('button', { name: t(lang, 'rfc-submit') }).click();
    await page.getByText(t(lang, 'rfc-none')).waitFor();
    assert.equal(await page.locator('article.finding').count(), 0);
    await context.close();
  });

  test(`deadline calculator: deadlines, filing windows, calendar file (${lang})`, async () => {
    const { context, page } = await anonymous(lang);
    await page.goto('/toolkit/calculator');
    await checkAxe(page, `calculator form ${lang}`);
    await page.getByLabel(t(lang, 'calc-birth-date')).fill('2017-04-02');
    await page.getByLabel(t(lang, 'calc-request')).fill('2025-09-02');
    await page.getByLabel(t(lang, 'calc-consent')).fill('2025-09-10');
    await page.getByRole('button', { name: t(lang, 'calc-submit') }).click();
    await page.getByRole('heading', { level: 2, name: t(lang, 'calc-windows') }).waitFor();
    assert.ok((await page.locator('.obligations cite').allInnerTexts()).some((c) => c.includes('34 CFR 300.301(c)(1)')));
    assert.ok((await page.locator('.windows li').count()) >= 3, 'due process, state and OCR windows');
    await checkAxe(page, `calculator result ${lang}`);
    await screenshot(page, `toolkit-calculator-${lang}`);
    const href = await page.getByRole('link', { name: t(lang, 'calc-ics') }).getAttribute('href');
    const ics = await page.request.get(href);
    assert.equal(ics.status(), 200);
    assert.match(ics.headers()['content-type'], /^text\/calendar/);
    const body = await ics.text();
    assert.match(body, /^BEGIN:VCALENDAR\r\n/);
    // The overdue evaluation and the due-process window still open (the state and OCR windows
    // of a 2025 violation have closed, so the calendar leaves them out).
    assert.ok((body.match(/BEGIN:VEVENT/g) || []).length >= 2);
    assert.ok(body.includes(`SUMMARY:${t(lang, 'calc-ics-last-day').replace('{ $what }', '')}`));
    await context.close();
  });
}

test('a parent\'s own toolkit page: log, documents, binder (en and es)', async () => {
  const context = await newContext(browser, app.base);
  const page = await context.newPage();
  await signIn(page, app.logins.parent.username, app.password, 'en');
  const link = page.getByRole('link', { name: t('en', 'records-toolkit-link') }).first();
  await link.click();
  await page.getByRole('heading', { level: 2, name: t('en', 'log-heading') }).waitFor();
  await checkAxe(page, 'child toolkit en');
  await page.getByLabel(t('en', 'rf-with-whom')).fill('Ms. Alvarez');
  await page.getByLabel(t('en', 'rf-log-summary')).fill('Asked when the evaluation will start.');
  await page.getByRole('button', { name: t('en', 'log-submit') }).click();
  await page.getByRole('status').getByText(t('en', 'log-saved')).waitFor();
  await page.getByRole('cell', { name: 'Asked when the evaluation will start.' }).waitFor();
  const binder = await page.request.get(await page.getByRole('link', { name: t('en', 'tk-child-binder') }).getAttribute('href'));
  assert.equal(binder.headers()['content-type'], 'application/pdf');
  await page.goto(`/language/es?next=${encodeURIComponent(new URL(page.url()).pathname)}`);
  await page.getByRole('heading', { level: 2, name: t('es', 'log-heading') }).waitFor();
  await checkAxe(page, 'child toolkit es');
  await context.close();
});
