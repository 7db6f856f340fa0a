// The family's side, in English and Spanish: the parent's home (my children, deadlines in plain
// language, "who looked at my child's records"), the child's page, a guardian's preferred
// language, privacy (another family's student is a 404 page) and the record of access showing
// the reads made during the test.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo } from '../lib/server.js';
import { launchBrowser, newContext, checkAxe, screenshot, checkAriaSnapshot } from '../lib/browser.js';
import { t, LANGS, re, signIn, signOut, chooseLanguage, maskVolatile, SPANISH_DATE, LONG_DATE, shortDate } from '../lib/app.js';

let app;
let browser;
before(async () => {
  [app, browser] = await Promise.all([startDemo(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

async function as(role, lang, options) {
  const context = await newContext(browser, app.base, options);
  const page = await context.newPage();
  await signIn(page, app.logins[role].username, app.password, await pageLang(page, context));
  if (lang && (await page.getAttribute('html', 'lang')) !== lang) await chooseLanguage(page, lang);
  return { context, page };
}
async function pageLang(page) {
  await page.goto('/sign-in');
  return page.getAttribute('html', 'lang');
}

/** The ids of the children on the parent's home page. */
async function childIds(page) {
  const hrefs = await page.getByRole('main').getByRole('heading', { level: 2 }).getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  return hrefs.map((h) => Number(h.split('/').pop()));
}

for (const lang of LANGS) {
  test(`parent home: my children, plain-language deadlines, who looked (${lang})`, async () => {
    const { context, page } = await as('parent', lang);
    await page.getByRole('heading', { level: 1, name: t(lang, 'home-family-heading') }).waitFor();
    const ids = await childIds(page);
    assert.ok(ids.length >= 1, 'the parent sees their children');
    const card = page.locator('section.card').first();
    await card.getByRole('heading', { level: 3, name: t(lang, 'upcoming-deadlines') }).waitFor();
    // Deadlines are sentences ("… is due by …"), or the plain "nothing coming up".
    const items = await card.locator('ul.deadlines li').allInnerTexts();
    if (items.length) {
      const due = t(lang, 'deadline-due').split('{')[1].split('}')[1].trim().split(' ')[0];
      for (const s of items) {
        assert.match(s, LONG_DATE[lang], `a sentence with a date in words: ${s}`);
        assert.doesNotMatch(s, /\d{4}-\d{2}-\d{2}/, `no ISO date: ${s}`);
      }
      assert.ok(items.some((s) => s.includes(due) || s.includes(t(lang, 'deadline-overdue').split('}')[1].trim().split(' ')[0])), `plain language: ${items[0]}`);
    } else {
      await card.getByText(t(lang, 'no-deadlines')).waitFor();
    }
    await card.getByRole('link', { name: t(lang, 'who-looked') }).waitFor();
    await checkAxe(page, `parent home ${lang}`);
    await screenshot(page, `parent-home-${lang}`);
    await checkAriaSnapshot(page, `parent-home-${lang}`, (s) =>
      maskVolatile(s).replace(/(- listitem:\n(\s+- link ".*"\n?)*)+/g, '- listitem: <deadline>\n'),
    );

    // "Who looked" goes to the record of access on the child's page.
    await card.getByRole('link', { name: t(lang, 'who-looked') }).click();
    assert.equal(new URL(page.url()).hash, '#access');
    await page.getByRole('heading', { level: 2, name: t(lang, 'access-heading') }).waitFor();
    await checkAxe(page, `parent student page ${lang}`);
    await screenshot(page, `parent-student-${lang}`);

    // How each date was worked out is written in the page's language, dates included: a
    // Spanish-speaking parent reads "60 días calendario → 7 de noviembre de 2026".
    let steps = [];
    for (const id of ids) {
      await page.goto(`/students/${id}`);
      steps = await page.locator('ol.obligations details li').allTextContents();
      if (steps.length) break;
    }
    assert.ok(steps.length > 0, 'a child of the parent has deadlines with explanations');
    if (lang === 'es') {
      assert.ok(steps.some((s) => s.match(SPANISH_DATE)), `dates in Spanish: ${steps.join(' | ')}`);
      for (const s of steps) {
        assert.doesNotMatch(s, /\d{4}-\d{2}-\d{2}/, `no ISO date: ${s}`);
        assert.doesNotMatch(s, /\b(calendar|school|business) days?\b|\b(received|held|determined|overdue|open|met|due|the)\b/, `no English: ${s}`);
      }
    } else {
      assert.ok(steps.some((s) => /\d{4}-\d{2}-\d{2}/.test(s)), `ISO dates in English: ${steps.join(' | ')}`);
      assert.ok(steps.every((s) => !s.match(SPANISH_DATE)), 'no Spanish in the English page');
    }
    await context.close();
  });
}

test('privacy: another family\'s student is a 404 page, like a student that does not exist', async () => {
  // Staff know every id on their caseload; the parent knows only their own.
  const staff = await as('case_manager', 'en');
  const { students } = await (await staff.page.request.get('/api/v1/students')).json();
  const caseloadIds = students.map((s) => s.id);
  await staff.context.close();

  for (const lang of LANGS) {
    const { context, page } = await as('parent', lang);
    const mine = await childIds(page);
    const other = caseloadIds.find((id) => !mine.includes(id));
    assert.ok(other, 'a student of another family');
    const res = await page.goto(`/students/${other}`);
    assert.equal(res.status(), 404);
    await page.getByRole('heading', { level: 1, name: t(lang, 'error-not-found') }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    const text = await page.getByRole('main').innerText();
    assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}/, 'nothing of the record leaks');
    await checkAxe(page, `404 ${lang}`);
    await screenshot(page, `not-found-${lang}`);
    const missing = await page.goto('/students/99999999');
    assert.equal(missing.status(), 404);
    assert.equal(await page.getByRole('main').innerText(), text, 'same page as a student that does not exist');
    // The JSON API answers the same way.
    const api = await page.request.get(`/api/v1/students/${other}`);
    assert.equal(api.status(), 404);
    await context.close();
  }
});

test('the record of access shows the reads made during this test', async () => {
  const parent = await as('parent', 'en');
  const [child] = await childIds(parent.page);
  // A teacher, a case manager or any staff member linked to the child reads the record: the
  // case manager from the caseload, if the child is there; else the district admin cannot read
  // records, so use whoever the API lets read it.
  const readers = [];
  for (const role of ['case_manager', 'evaluator', 'coordinator_504', 'teacher', 'provider']) {
    const s = await as(role, 'en');
    const res = await s.page.goto(`/students/${child}`);
    if (res.status() === 200) readers.push(app.logins[role]);
    await s.context.close();
  }
  await parent.page.goto(`/students/${child}#access`);
  const table = parent.page.getByRole('table', { name: t('en', 'access-caption') });
  await table.waitFor();
  const rows = await table.getByRole('row').allInnerTexts();
  const today = shortDate(new Date().toISOString().slice(0, 10), 'en');
  // The parent's own reads (the home page's deadlines, this page) and every staff read.
  for (const who of [app.logins.parent, ...readers]) {
    assert.ok(
      rows.some((r) => r.includes(who.name) && r.includes(today)),
      `${who.username} (${who.name}) appears in the record of access today:\n${rows.slice(-8).join('\n')}`,
    );
  }
  assert.ok(rows.some((r) => r.includes(t('en', 'action-view-student-page'))), 'reads are named in plain words');
  await parent.context.close();
});

test('a guardian who prefers Spanish sees Spanish by default', async () => {
  // The demo parent's saved preference decides when no language was chosen in this browser.
  const first = await as('parent', null);
  await first.page.goto('/account');
  const lang = first.page.getByRole('combobox');
  const pref = await lang.inputValue();
  if (pref !== 'es') {
    await lang.selectOption('es');
    await first.page.getByRole('button', { name: t(await first.page.getAttribute('html', 'lang'), 'save-button') }).click();
    await first.page.waitForURL(/done=language/);
  }
  assert.equal(await first.page.getAttribute('html', 'lang'), 'es');
  await signOut(first.page, 'es');
  await first.context.close();

  // A fresh browser that asks for English: the signed-in pages follow the saved preference.
  const context = await newContext(browser, app.base, { locale: 'en-US' });
  const page = await context.newPage();
  await signIn(page, app.logins.parent.username, app.password, 'en');
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  await page.getByRole('heading', { level: 1, name: t('es', 'home-family-heading') }).waitFor();
  await page.getByRole('link', { name: t('es', 'who-looked') }).first().waitFor();
  // Put it back, so the other tests' assumptions about the demo hold.
  if (pref !== 'es') {
    await page.goto('/account');
    await page.getByRole('combobox').selectOption(pref);
    await page.getByRole('button', { name: t('es', 'save-button') }).click();
  }
  await context.close();
});
