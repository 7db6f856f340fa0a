// Keyboard only: the skip link is the first stop and works, focus is always visible, the focus
// order follows the visual order, and sign-in and the add-event form can be completed with
// Tab / Shift+Tab / Enter / Space / arrow keys alone.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo } from '../lib/server.js';
import { launchBrowser, newContext, focusInfo, tabUntil, screenshot } from '../lib/browser.js';
import { t, LANGS, signIn, chooseLanguage, shortDate } from '../lib/app.js';

let app;
let browser;
before(async () => {
  [app, browser] = await Promise.all([startDemo(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

/** The first student the signed-in person may read (the JSON API's list). */
async function firstStudent(page) {
  const { students } = await (await page.request.get('/api/v1/students')).json();
  assert.ok(students.length > 0, 'someone to look at');
  return `/students/${students[0].id}`;
}

/** From the top of a freshly loaded page: the skip link comes first, shows, and moves focus to main. */
async function checkSkipLink(page, lang, label = page.url()) {
  await page.keyboard.press('Tab');
  const first = await focusInfo(page);
  assert.equal(first?.text, t(lang, 'skip-to-content'), `${label}: the skip link is the first tab stop`);
  assert.equal(first.href, '#main');
  assert.ok(first.visible, 'the skip link shows a focus indicator');
  assert.ok(first.x >= 0 && first.w > 0, 'the focused skip link is on screen');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', `${label}: Enter moves focus to main`);
  // The next Tab lands on the first control inside main, skipping the header.
  await page.keyboard.press('Tab');
  const next = await focusInfo(page);
  const [inMain, mainHasControls] = await page.evaluate(() => {
    const main = document.getElementById('main');
    const controls = main.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary');
    return [main.contains(document.activeElement), controls.length > 0];
  });
  if (!mainHasControls) return; // nothing to stop at in main (a page of tables): Tab wraps round
  assert.ok(inMain, `${label}: after the skip link, Tab stays in main (got ${next?.tag} "${next?.text}")`);
}

/** Tabs through the whole page and checks every stop is visible and in reading order. */
async function checkFocusOrder(page, label) {
  // Start from a fresh load: focus navigation begins at the top of the document.
  await page.goto(page.url().split('#')[0]);
  const stops = [];
  for (let i = 0; i < 150; i++) {
    await page.keyboard.press('Tab');
    const info = await focusInfo(page);
    if (!info) break; // wrapped past the end of the document
    if (stops.length && info.tag === stops[0].tag && info.href === stops[0].href && info.text === stops[0].text) {
      await page.keyboard.press('Shift+Tab'); // wrapped round: step back off the first stop
      break;
    }
    assert.ok(info.visible, `${label}: focus not visible on ${info.tag}#${info.id} "${info.text}" (outline ${info.outline}, box-shadow ${info.boxShadow})`);
    stops.push(info);
  }
  assert.ok(stops.length > 3, `${label}: several tab stops`);
  // Reading order: each stop is on the same line and to the right, or further down. The skip
  // link sits over the page's top-left corner, so the order is checked from the second stop.
  for (let i = 2; i < stops.length; i++) {
    const a = stops[i - 1];
    const b = stops[i];
    const ca = a.y + a.h / 2;
    const cb = b.y + b.h / 2;
    const sameLine = Math.abs(cb - ca) < Math.max(a.h, b.h) / 2;
    const ok = sameLine ? b.x >= a.x - 1 : cb > ca;
    assert.ok(ok, `${label}: focus order jumps back from "${a.text}" (${Math.round(a.x)},${Math.round(ca)}) to "${b.text}" (${Math.round(b.x)},${Math.round(cb)})`);
  }
  // Shift+Tab walks the same stops backwards.
  for (let i = stops.length - 1; i >= Math.max(0, stops.length - 6); i--) {
    await page.keyboard.press('Shift+Tab');
    const info = await focusInfo(page);
    assert.equal(`${info.tag}${info.text}${info.href}`, `${stops[i].tag}${stops[i].text}${stops[i].href}`, `${label}: Shift+Tab goes back`);
  }
  return stops;
}

for (const lang of LANGS) {
  test(`keyboard-only sign-in (${lang})`, async () => {
    const context = await newContext(browser, app.base, { locale: lang === 'es' ? 'es-US' : 'en-US' });
    const page = await context.newPage();
    await page.goto('/sign-in');
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    await checkSkipLink(page, lang);
    await page.goto('/sign-in');
    await checkFocusOrder(page, `sign-in ${lang}`);

    await page.goto('/sign-in');
    await tabUntil(page, (f) => f.id === 'username');
    await page.keyboard.type(app.logins.case_manager.username);
    await page.keyboard.press('Tab');
    assert.equal((await focusInfo(page)).id, 'password');
    await page.keyboard.type(app.password);
    await tabUntil(page, (f) => f.tag === 'button' && f.text === t(lang, 'sign-in-button'));
    await Promise.all([page.waitForURL(/\/caseload$/), page.keyboard.press('Enter')]);
    // Signed in, the account's saved language (English for the demo staff) decides.
    const now = await page.getAttribute('html', 'lang');
    await page.getByRole('heading', { level: 1, name: t(now, 'caseload-title') }).waitFor();
    await checkSkipLink(page, now, 'caseload');
    await context.close();
  });
}

test('focus order and visible focus on the main pages', async () => {
  for (const [role, paths] of [
    ['case_manager', ['/caseload', 'student', '/account']],
    ['district_admin', ['/compliance']],
    ['parent', ['/', 'student']],
  ]) {
    const context = await newContext(browser, app.base);
    const page = await context.newPage();
    await signIn(page, app.logins[role].username, app.password);
    for (const [i, path] of paths.entries()) {
      const lang = LANGS[i % 2];
      if ((await page.getAttribute('html', 'lang')) !== lang) await chooseLanguage(page, lang);
      if (path === 'student') {
        await page.goto(await firstStudent(page));
      } else {
        await page.goto(path);
      }
      await checkSkipLink(page, lang);
      await checkFocusOrder(page, `${role} ${path} ${lang}`);
    }
    await context.close();
  }
});

test('keyboard-only add-event form: choose a kind, fill, submit; fix an error', async () => {
  const context = await newContext(browser, app.base);
  const page = await context.newPage();
  await signIn(page, app.logins.case_manager.username, app.password);
  await page.goto(await firstStudent(page));

  // The kind of event: a select driven with the arrow keys.
  await tabUntil(page, (f) => f.id === 'add', { max: 200 });
  for (let i = 0; i < 40 && (await page.locator('#add').inputValue()) !== 'disciplinary_removal'; i++) {
    await page.keyboard.press('ArrowDown');
  }
  assert.equal(await page.locator('#add').inputValue(), 'disciplinary_removal');
  await page.keyboard.press('Tab');
  assert.equal((await focusInfo(page)).text, t('en', 'choose-kind-button'));
  await Promise.all([page.waitForURL(/add=disciplinary_removal/), page.keyboard.press('Space')]);

  // After the page loads at #add-event, Tab continues from the form.
  await tabUntil(page, (f) => f.id === 'f_on', { max: 10 });
  await page.keyboard.type('01122026'); // mm dd yyyy into the date control
  assert.equal(await page.locator('#f_on').inputValue(), '2026-01-12');
  // Tab moves through the date's month/day/year parts first, then on to the next field.
  await tabUntil(page, (f) => f.id === 'f_school_days', { max: 4 });
  await page.keyboard.type('400'); // out of range: the server says so
  await page.keyboard.press('Tab');
  assert.equal((await focusInfo(page)).id, 'f_removal');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  assert.equal((await focusInfo(page)).text, t('en', 'add-event-button'));
  await page.keyboard.press('Enter');
  await page.getByRole('alert').waitFor();

  // The error summary's link takes keyboard focus to the field; correct it and submit again.
  await tabUntil(page, (f) => f.href === '#f_school_days', { max: 200 });
  await page.keyboard.press('Enter');
  assert.equal((await focusInfo(page)).id, 'f_school_days');
  await screenshot(page, 'keyboard-add-event-error-focus-en');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('3');
  await tabUntil(page, (f) => f.text === t('en', 'add-event-button'), { max: 5 });
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: t('en', 'note-event-added') }).waitFor();
  await page.getByRole('table', { name: t('en', 'timeline-caption') })
    .getByRole('row').filter({ hasText: t('en', 'event-disciplinary-removal') }).filter({ hasText: shortDate('2026-01-12', 'en') }).first().waitFor();
  await context.close();
});
