// Staff pages in English and Spanish: caseload (case manager), compliance (district admin),
// student page (deadlines with citation and explanation, timeline, record of access), the
// add-event form (a valid event reaches the timeline and makes its deadline; an invalid one is
// tied to its field), the account page and the teacher's home. axe-core, a screenshot and an
// accessibility-tree snapshot for each.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo } from '../lib/server.js';
import { launchBrowser, newContext, checkAxe, screenshot, checkAriaSnapshot } from '../lib/browser.js';
import { t, LANGS, re, signIn, chooseLanguage, maskVolatile, shortDate } from '../lib/app.js';

let app;
let browser;
let caseloadStudent; // set by the student-page test, checked on the caseload
before(async () => {
  [app, browser] = await Promise.all([startDemo(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

/** A signed-in page for `role` with the interface in `lang`. */
async function as(role, lang) {
  const context = await newContext(browser, app.base);
  const page = await context.newPage();
  await signIn(page, app.logins[role].username, app.password);
  if (lang !== 'en') await chooseLanguage(page, lang);
  return { context, page };
}

/** Table bodies and long lists are data, not structure: keep the header rows and one row. */
function structural(s) {
  const out = [];
  const lines = maskVolatile(s).split('\n');
  let skipIndent = -1;
  const seen = new Map();
  for (const line of lines) {
    const indent = line.search(/\S/);
    if (skipIndent >= 0 && indent > skipIndent) continue;
    skipIndent = -1;
    // Second and later rows / list items / links at the same depth under the same parent.
    const kind = /^\s*- '?(row|listitem)\b/.exec(line)?.[1];
    if (kind && !/columnheader/.test(line)) {
      const key = `${indent}:${kind}`;
      const count = (seen.get(key) ?? 0) + 1;
      seen.set(key, count);
      if (count > 1 && !/columnheader/.test(line)) {
        skipIndent = indent;
        continue;
      }
    } else if (indent >= 0) {
      for (const k of [...seen.keys()]) if (Number(k.split(':')[0]) > indent) seen.delete(k);
    }
    out.push(line);
  }
  return out.join('\n');
}

for (const lang of LANGS) {
  test(`compliance view (${lang})`, async () => {
    const { context, page } = await as('district_admin', lang);
    assert.equal(new URL(page.url()).pathname, '/compliance');
    await page.getByRole('heading', { level: 1, name: t(lang, 'compliance-title') }).waitFor();
    const table = page.getByRole('table', { name: t(lang, 'compliance-caption') });
    await table.waitFor();
    for (const col of ['col-school', 'col-obligation', 'group-overdue']) {
      await table.getByRole('columnheader', { name: t(lang, col) }).waitFor();
    }
    assert.ok((await table.getByRole('rowheader').count()) > 0, 'rows per school');
    await checkAxe(page, `compliance ${lang}`);
    await screenshot(page, `compliance-${lang}`);
    await checkAriaSnapshot(page, `compliance-${lang}`, structural);
    await context.close();
  });

  test(`student page and add-event form (${lang})`, async () => {
    const { context, page } = await as('case_manager', lang);
    // The caseload lists only what is due within 30 days (it may be empty in the demo), so find
    // the case manager's students through the API: the first one that has deadlines.
    const { students } = await (await page.request.get('/api/v1/students')).json();
    assert.ok(students.length > 0, 'the case manager has students');
    let studentPath;
    for (const s of students) {
      await page.goto(`/students/${s.id}`);
      if ((await page.locator('ol.obligations > li').count()) > 0) {
        studentPath = `/students/${s.id}`;
        break;
      }
    }
    assert.ok(studentPath, 'a student with deadlines');
    caseloadStudent = studentPath;

    // Deadlines: each with its status, a citation and a step-by-step explanation.
    const obligations = page.locator('ol.obligations > li');
    assert.ok((await obligations.count()) > 0, 'the student has deadlines');
    const first = obligations.first();
    await first.getByRole('heading', { level: 3 }).waitFor();
    assert.match(await first.innerText(), re(t(lang, 'citation')));
    assert.ok((await first.locator('cite').innerText()).trim().length > 0, 'a citation is shown');
    const summary = first.locator('summary', { hasText: t(lang, 'explanation') });
    await summary.click();
    assert.ok(await first.locator('details').evaluate((d) => d.open), 'the explanation opens');
    assert.ok((await first.locator('details li').count()) > 0, 'the explanation has steps');

    // Timeline and record of access.
    const timeline = page.getByRole('table', { name: t(lang, 'timeline-caption') });
    await timeline.waitFor();
    const eventsBefore = await timeline.getByRole('row').count();
    const access = page.getByRole('table', { name: t(lang, 'access-caption') });
    await access.waitFor();
    await access.getByRole('rowheader', { name: app.logins.case_manager.name }).first().waitFor();

    await checkAxe(page, `student ${lang}`);
    await screenshot(page, `student-${lang}`);
    await checkAriaSnapshot(page, `student-${lang}`, structural);

    // An invalid event: 0 school days of absence. The error summary links to the field, and
    // the field is marked invalid and described by its error.
    await page.getByLabel(t(lang, 'field-event-kind')).selectOption('absences_recorded');
    await page.getByRole('button', { name: t(lang, 'choose-kind-button') }).click();
    await page.getByLabel(t(lang, 'field-on')).fill('2026-01-12');
    await page.locator('#f_school_days').fill('0');
    await page.getByRole('button', { name: t(lang, 'add-event-button') }).click();
    const alert = page.getByRole('alert');
    await alert.getByRole('heading', { name: t(lang, 'form-has-errors') }).waitFor();
    const errorLink = alert.getByRole('link', { name: t(lang, 'error-field-number') });
    assert.equal(await errorLink.getAttribute('href'), '#f_school_days');
    const field = page.locator('#f_school_days');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    const describedBy = (await field.getAttribute('aria-describedby')).split(/\s+/);
    assert.ok(describedBy.includes('f_school_days-error'), `described by its error: ${describedBy}`);
    assert.match(await page.locator('#f_school_days-error').innerText(), re(t(lang, 'error-field-number')));
    assert.equal(await page.getByLabel(t(lang, 'field-on')).inputValue(), '2026-01-12', 'other values are kept');
    await errorLink.click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f_school_days', 'the error link moves focus to the field');
    await checkAxe(page, `add-event error ${lang}`);
    await screenshot(page, `add-event-error-${lang}`);

    // A valid event: a due process complaint. It appears on the timeline and makes its
    // deadline (a resolution meeting within 15 days, so the caseload shows it too).
    await page.goto(studentPath);
    await page.getByLabel(t(lang, 'field-event-kind')).selectOption('due_process_complaint_received');
    await page.getByRole('button', { name: t(lang, 'choose-kind-button') }).click();
    const today = new Date().toISOString().slice(0, 10);
    await page.getByLabel(t(lang, 'field-on')).fill(today);
    await page.getByRole('button', { name: t(lang, 'add-event-button') }).click();
    await page.getByRole('status').filter({ hasText: t(lang, 'note-event-added') }).waitFor();
    const row = timeline.getByRole('row').filter({ has: page.getByRole('rowheader', { name: t(lang, 'event-due-process-complaint-received') }) });
    await row.filter({ hasText: shortDate(today, lang) }).first().waitFor();
    assert.equal(await timeline.getByRole('row').count(), eventsBefore + 1, 'one more event on the timeline');
    const deadline = obligations.filter({ has: page.getByRole('heading', { name: t(lang, 'obligation-resolution-meeting') }) });
    await deadline.filter({ hasText: t(lang, 'status-open') }).first().waitFor();
    await checkAxe(page, `student after add ${lang}`);
    await context.close();
  });

  test(`caseload dashboard (${lang})`, async () => {
    const { context, page } = await as('case_manager', lang);
    assert.equal(new URL(page.url()).pathname, '/caseload');
    await page.getByRole('heading', { level: 1, name: t(lang, 'caseload-title') }).waitFor();
    for (const g of ['group-overdue', 'group-week', 'group-month']) {
      await page.getByRole('heading', { level: 2, name: re(t(lang, g)) }).waitFor();
    }
    // The student who got a due process complaint above has a resolution meeting due soon.
    const month = page.getByRole('region', { name: re(t(lang, 'group-month')) });
    const row = month.getByRole('row').filter({ has: page.locator(`a[href="${caseloadStudent}"]`) });
    await row.filter({ hasText: t(lang, 'obligation-resolution-meeting') }).first().waitFor();
    await row.first().getByRole('link', { name: t(lang, 'obligation-resolution-meeting') }).first().waitFor();
    // Filters are labelled and work without scripts.
    await page.getByLabel(t(lang, 'filter-kind')).selectOption({ index: 1 });
    await page.getByRole('button', { name: t(lang, 'filter-button') }).click();
    await page.waitForURL(/kind=/);
    await page.goto('/caseload');
    await checkAxe(page, `caseload ${lang}`);
    await screenshot(page, `caseload-${lang}`);
    await checkAriaSnapshot(page, `caseload-${lang}`, structural);
    await context.close();
  });

  test(`account page (${lang})`, async () => {
    const { context, page } = await as('case_manager', lang);
    await page.getByRole('link', { name: t(lang, 'nav-account') }).click();
    await page.getByRole('heading', { level: 1, name: t(lang, 'account-title') }).waitFor();
    for (const h of ['account-language', 'account-password', 'account-two-step', 'account-feed']) {
      await page.getByRole('heading', { level: 2, name: t(lang, h) }).waitFor();
    }
    await checkAxe(page, `account ${lang}`);
    await screenshot(page, `account-${lang}`);
    await checkAriaSnapshot(page, `account-${lang}`, maskVolatile);
    // A mismatched new password: an error the screen reader hears.
    await page.getByLabel(t(lang, 'field-current-password'), { exact: true }).fill(app.password);
    await page.getByLabel(t(lang, 'field-new-password'), { exact: true }).fill('a brand new password');
    await page.getByLabel(t(lang, 'field-confirm-password'), { exact: true }).fill('a different password');
    await page.getByRole('button', { name: t(lang, 'change-password-button') }).click();
    await page.getByRole('alert').filter({ hasText: t(lang, 'error-password-mismatch') }).waitFor();
    await checkAxe(page, `account error ${lang}`);
    await context.close();
  });

  test(`teacher home (${lang})`, async () => {
    const { context, page } = await as('teacher', lang);
    await page.getByRole('heading', { level: 1, name: t(lang, 'home-staff-heading') }).waitFor();
    const students = page.getByRole('main').getByRole('heading', { level: 2 }).getByRole('link');
    assert.ok((await students.count()) > 0, 'the teacher sees their students');
    await checkAxe(page, `teacher home ${lang}`);
    await screenshot(page, `teacher-home-${lang}`);
    await checkAriaSnapshot(page, `teacher-home-${lang}`, structural);
    await students.first().click();
    await page.getByRole('heading', { level: 2, name: t(lang, 'obligations-heading') }).waitFor();
    await checkAxe(page, `teacher student ${lang}`);
    await context.close();
  });
}
