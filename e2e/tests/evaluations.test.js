// Evaluations and prior written notices, in English and Spanish: an evaluator records a
// referral, has a decision refused by the eligibility rules (the rule and its citation shown,
// the error summary linked to the field), drafts a notice of refusal, completes and sends it,
// and opens its PDF; a 504 coordinator sends the notice of a Section 504 refusal, framed by
// 34 CFR 104.36 rather than IDEA; a parent sees the page with only the consent-answer form.
// Every page state is checked with axe (no serious or critical violation).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from '../lib/server.js';
import { launchBrowser, newContext, checkAxe, screenshot } from '../lib/browser.js';
import { LANGS, signIn, chooseLanguage } from '../lib/app.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** This feature's catalogue (evaluations.ftl), so the test follows the wording. */
function catalogue(lang) {
  const file = path.join(here, '..', '..', 'crates', 'web', 'i18n', lang, 'evaluations.ftl');
  const map = new Map();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^([a-z][a-z0-9-]*) = (.*)$/.exec(line);
    if (m) map.set(m[1], m[2].trim());
  }
  return map;
}
const words = { en: catalogue('en'), es: catalogue('es') };
function e(lang, key) {
  const v = words[lang].get(key);
  assert.ok(v !== undefined, `no message ${key} in ${lang}`);
  return v;
}

let app;
let browser;
before(async () => {
  [app, browser] = await Promise.all([startDemo(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

async function as(role, lang) {
  const context = await newContext(browser, app.base);
  const page = await context.newPage();
  await page.goto('/sign-in');
  const shown = await page.getAttribute('html', 'lang');
  await signIn(page, app.logins[role].username, app.password, shown);
  if ((await page.getAttribute('html', 'lang')) !== lang) await chooseLanguage(page, lang);
  return { context, page };
}

/** A student the signed-in user may read (the first the API lists). */
async function firstStudent(page) {
  const { students } = await (await page.request.get('/api/v1/students')).json();
  assert.ok(students.length > 0, 'the user sees at least one student');
  return students[0].id;
}

const form = (page, anchor) => page.locator(`section[aria-labelledby="${anchor}"]`);

for (const lang of LANGS) {
  test(`an evaluator records steps, is stopped by the rules, and sends a notice (${lang})`, async () => {
    const { context, page } = await as('evaluator', lang);
    const id = await firstStudent(page);
    await page.goto(`/students/${id}/evaluations`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await checkAxe(page, `evaluations ${lang}`);
    await screenshot(page, `evaluations-${lang}`);

    // A referral.
    const referral = form(page, 'record-referral');
    await referral.getByLabel(e(lang, 'rf-requester')).fill('Rosa Rivera');
    await referral.getByLabel(e(lang, 'rf-concerns')).fill('Reading below grade level');
    await Promise.all([
      page.waitForURL(/saved=1/),
      referral.getByRole('button', { name: e(lang, 'record-referral-button') }).click(),
    ]);
    await page.getByRole('status').getByText(e(lang, 'note-evaluation-saved')).waitFor();

    // "Eligible" with a category but no need for specially designed instruction: refused.
    const decision = form(page, 'record-eligibility');
    await decision.getByLabel(e(lang, 'category-autism'), { exact: true }).check();
    await decision.getByLabel(e(lang, 'rf-needs-sdi')).selectOption('no');
    await decision.getByLabel(e(lang, 'rf-eligible'), { exact: true }).selectOption('yes');
    await decision.getByRole('button', { name: e(lang, 'record-eligibility-button') }).click();
    await page.waitForLoadState();
    const rules = page.locator('#rule-problems');
    await rules.getByText(e(lang, 'elig-category-alone-not-eligibility')).waitFor();
    assert.match(await rules.innerText(), /34 CFR 300\.8\(a\)\(1\)/);
    // The summary links to the field, which says what is wrong.
    const summary = form(page, 'record-eligibility').getByRole('alert');
    await summary.getByRole('link', { name: e(lang, 'error-eligibility-rule') }).click();
    assert.equal(new URL(page.url()).hash, '#record-eligibility-f-eligible');
    assert.equal(await page.getAttribute('#record-eligibility-f-eligible', 'aria-invalid'), 'true');
    await checkAxe(page, `evaluations refused ${lang}`);

    // Draft a notice refusing an evaluation, complete it, send it.
    const draft = form(page, 'draft-notice');
    await draft.getByLabel(e(lang, 'rf-action')).selectOption('refuse');
    await draft.getByLabel(e(lang, 'rf-subject')).selectOption('evaluation');
    await Promise.all([
      page.waitForURL(/\/notices\/\d+$/),
      draft.getByRole('button', { name: e(lang, 'draft-notice-button') }).click(),
    ]);
    await page.getByRole('heading', { level: 2, name: e(lang, 'notice-missing-heading') }).waitFor();
    await checkAxe(page, `notice draft ${lang}`);
    await screenshot(page, `notice-draft-${lang}`);
    const edit = form(page, 'edit-notice');
    await edit.getByLabel(e(lang, 'rf-explanation')).fill('Screening and grades are within the expected range.');
    await edit.getByLabel(e(lang, 'rf-basis')).fill('Universal screening, report cards.');
    await edit.getByLabel(e(lang, 'rf-options-considered')).fill('An evaluation now; rejected for the data above.');
    await edit.getByLabel(e(lang, 'rf-other-factors')).fill('None.');
    await Promise.all([
      page.waitForURL(/saved=1/),
      edit.getByRole('button', { name: e(lang, 'edit-notice-button') }).click(),
    ]);
    await Promise.all([
      page.waitForURL(/saved=1/),
      form(page, 'send-notice').getByRole('button', { name: e(lang, 'send-notice-button') }).click(),
    ]);
    const status = e(lang, 'notice-sent-on').split('{')[0].trim();
    await page.getByText(status, { exact: false }).first().waitFor();
    await page.getByRole('heading', { level: 2, name: /300\.503\(b\)\(7\)/ }).waitFor();
    await checkAxe(page, `notice sent ${lang}`);
    await screenshot(page, `notice-sent-${lang}`);
    const pdfHref = await page.getByRole('link', { name: e(lang, lang === 'es' ? 'notice-pdf-es' : 'notice-pdf-en') }).getAttribute('href');
    const pdf = await page.request.get(pdfHref);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.ok((await pdf.body()).subarray(0, 5).toString() === '%PDF-');
    await context.close();
  });
}

for (const lang of LANGS) {
  test(`a 504 coordinator sends the notice of a Section 504 refusal, not an IDEA notice (${lang})`, async () => {
    const { context, page } = await as('coordinator_504', lang);
    const id = await firstStudent(page);
    await page.goto(`/students/${id}/evaluations`);
    // Not eligible: the team found no substantial limitation (the form's defaults).
    const decision = form(page, 'record-section504');
    await decision.getByLabel(e(lang, 'rf-impairment'), { exact: true }).fill('Seasonal allergies');
    await decision.getByLabel(e(lang, 'activity-breathing'), { exact: true }).check();
    await Promise.all([
      page.waitForURL(/saved=1/),
      decision.getByRole('button', { name: e(lang, 'record-section504-button') }).click(),
    ]);
    const { steps } = await (await page.request.get(`/api/v1/students/${id}/evaluations`)).json();
    const step = Math.max(...steps.filter((s) => s.step === 'section504').map((s) => s.id));
    const offer = form(page, `notice-from-${step}`);
    await Promise.all([
      page.waitForURL(/\/notices\/\d+$/),
      offer.getByRole('button', { name: e(lang, 'draft-notice-button') }).click(),
    ]);
    // Section 504's contents, labelled as such; other options and factors are optional.
    const edit = form(page, 'edit-notice');
    await edit.getByLabel(e(lang, 'rf-504-notice-basis')).fill('Nurse\'s report; attendance; teacher input.');
    assert.equal(await edit.getByLabel(e(lang, 'rf-504-notice-other-factors')).getAttribute('required'), null);
    await checkAxe(page, `504 notice draft ${lang}`);
    await Promise.all([
      page.waitForURL(/saved=1/),
      edit.getByRole('button', { name: e(lang, 'edit-notice-button') }).click(),
    ]);
    await Promise.all([
      page.waitForURL(/saved=1/),
      form(page, 'send-notice').getByRole('button', { name: e(lang, 'send-notice-button') }).click(),
    ]);
    await page.getByRole('heading', { level: 2, name: /104\.7\(a\)/ }).waitFor();
    assert.equal(await page.getByText(/300\.503/).count(), 0, 'no IDEA rule on a 504 notice');
    await checkAxe(page, `504 notice sent ${lang}`);
    await screenshot(page, `notice504-sent-${lang}`);
    const pdfHref = await page.getByRole('link', { name: e(lang, lang === 'es' ? 'notice-pdf-es' : 'notice-pdf-en') }).getAttribute('href');
    const pdf = await page.request.get(pdfHref);
    assert.equal(pdf.status(), 200);
    assert.match(pdf.headers()['content-disposition'], /section-504-notice-\d+-(en|es)\.pdf/);
    await context.close();
  });
}

test('a parent sees the evaluation page with only the consent answer to give', async () => {
  for (const lang of LANGS) {
    const { context, page } = await as('parent', lang);
    const id = await firstStudent(page);
    await page.goto(`/students/${id}/evaluations`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await form(page, 'record-consent-answer').waitFor();
    assert.equal(await form(page, 'record-eligibility').count(), 0);
    assert.equal(await form(page, 'draft-notice').count(), 0);
    await checkAxe(page, `parent evaluations ${lang}`);
    await context.close();
  }
});
