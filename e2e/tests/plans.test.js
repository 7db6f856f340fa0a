// IEPs and 504 plans in the browser, in English and Spanish: the case manager starts an IEP,
// edits it section by section (a goal without a baseline is flagged as not measurable; a stale
// save from a second window is refused with the other person's change shown and the entry
// kept), shares it; the parent reads the shared draft and comments; the case manager finalizes;
// the teacher sees the accommodations on their home and list and acknowledges them; the team
// sees who has acknowledged. axe-core (no serious or critical violation) on every page type.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from '../lib/server.js';
import { launchBrowser, newContext, checkAxe, screenshot } from '../lib/browser.js';
import { signIn, chooseLanguage } from '../lib/app.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The plans catalogue (simple messages), read from the Fluent files like lib/app.js does. */
function load(lang) {
  const text = fs.readFileSync(path.join(here, '..', '..', 'crates', 'web', 'i18n', lang, 'plans.ftl'), 'utf8');
  return new Map(
    text.split('\n').map((l) => /^([a-zA-Z][a-zA-Z0-9-]*) = (.*)$/.exec(l)).filter(Boolean).map((m) => [m[1], m[2].trim()]),
  );
}
const plansCatalogue = { en: load('en'), es: load('es') };
function p(lang, key, args = {}) {
  let v = plansCatalogue[lang].get(key);
  assert.ok(v !== undefined, `no message ${key} in ${lang}`);
  for (const [k, val] of Object.entries(args)) v = v.replaceAll(`{ $${k} }`, val);
  return v;
}

let app;
let browser;
let student;
before(async () => {
  [app, browser] = await Promise.all([startDemo(), launchBrowser()]);
  // A new student linked to the demo's case manager, parent and teacher, so the test starts
  // from no plan at all.
  const added = app.cli(['student', 'add', '--first', 'Lena', '--last', 'Ortiz', '--birth-date', '2015-05-04']);
  student = added.id;
  for (const [role, relation] of [['case_manager', 'case_manager'], ['parent', 'guardian'], ['teacher', 'teacher']]) {
    app.cli(['user', 'link', '--username', app.logins[role].username, '--student', String(student), '--as', relation]);
  }
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

async function as(role, lang = 'en') {
  const context = await newContext(browser, app.base);
  const page = await context.newPage();
  await signIn(page, app.logins[role].username, app.password);
  if ((await page.getAttribute('html', 'lang')) !== lang) await chooseLanguage(page, lang);
  return { context, page };
}

/** Goes to the page and checks it with axe. */
async function visit(page, url, label) {
  await page.goto(url);
  await checkAxe(page, label);
}

test('the IEP from first draft to acknowledged accommodations', async () => {
  const { context, page } = await as('case_manager');
  await visit(page, `/students/${student}`, 'student page');
  await page.getByRole('link', { name: p('en', 'records-plans-link') }).click();
  await page.getByRole('heading', { level: 1, name: p('en', 'plans-title', { name: 'Lena Ortiz' }) }).waitFor();
  await checkAxe(page, 'plans list en');
  await screenshot(page, 'plans-en');
  await page.getByRole('button', { name: p('en', 'start-plan-iep') }).click();
  await page.getByRole('status').filter({ hasText: p('en', 'note-plan-created') }).waitFor();
  const planUrl = new URL(page.url()).pathname;
  await page.getByText(p('en', 'problem-present-levels-missing')).first().waitFor();
  await checkAxe(page, 'plan draft en');
  await screenshot(page, 'plan-draft-en');

  // Present levels, through the section editor.
  const sectionName = p('en', 'section-present-levels');
  await page.getByRole('link', { name: `Edit “${sectionName}”` }).click();
  await page.getByRole('heading', { level: 1, name: `Edit: ${sectionName}` }).waitFor();
  await checkAxe(page, 'section editor en');
  await screenshot(page, 'plan-section-en');
  await page.getByLabel(p('en', 'pf-present-levels')).fill('Lena decodes CVC words and reads 38 words correct per minute.');
  await page.getByRole('button', { name: p('en', 'pf-save') }).click();
  await page.getByRole('status').filter({ hasText: p('en', 'note-plan-section') }).waitFor();
  assert.equal(await page.getByText(p('en', 'problem-present-levels-missing')).count(), 0);

  // A goal without a baseline: saved, and flagged as not measurable with what is missing.
  await page.goto(`${planUrl}/sections/goals`);
  const goal = page.getByRole('group', { name: p('en', 'pf-new-goals') });
  await goal.getByLabel(p('en', 'pf-goals-description'), { exact: true }).fill('Lena will read a grade-level passage aloud.');
  await goal.getByLabel(p('en', 'pf-goals-measure')).fill('words correct per minute');
  await goal.getByLabel(p('en', 'pf-goals-target')).fill('80');
  await goal.getByLabel(p('en', 'pf-goals-by')).fill('2027-06-01');
  await goal.getByLabel(p('en', 'pf-goals-criterion')).fill('on 3 consecutive weekly probes');
  await goal.getByLabel(p('en', 'pf-goals-direction')).selectOption('increase');
  await page.getByRole('button', { name: p('en', 'pf-save') }).click();
  await page.getByText(`${p('en', 'problem-goal-not-measurable')} (${p('en', 'goal-gap-baseline')})`).waitFor();

  // Two windows on the same section: the second save is refused with the first one's change.
  const other = await context.newPage();
  await other.goto(`${planUrl}/sections/progress_reporting`);
  await page.goto(`${planUrl}/sections/progress_reporting`);
  await other.getByLabel(p('en', 'pf-progress-reporting')).fill('Quarterly written reports.');
  await other.getByRole('button', { name: p('en', 'pf-save') }).click();
  await other.getByRole('status').waitFor();
  await page.getByLabel(p('en', 'pf-progress-reporting')).fill('Every six weeks, by email.');
  await page.getByRole('button', { name: p('en', 'pf-save') }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /Reporting progress/);
  await page.getByRole('heading', { name: p('en', 'stale-theirs-heading') }).waitFor();
  await page.getByText('Quarterly written reports.').waitFor();
  assert.equal(await page.getByLabel(p('en', 'pf-progress-reporting')).inputValue(), 'Every six weeks, by email.');
  await checkAxe(page, 'stale save en');
  await other.close();

  // Share with the family.
  await page.goto(planUrl);
  await page.getByRole('button', { name: p('en', 'move-to-shared') }).click();
  await page.getByRole('status').filter({ hasText: p('en', 'note-plan-shared') }).waitFor();
  await context.close();

  // The parent reads the shared draft in Spanish and comments.
  const parent = await as('parent', 'es');
  await visit(parent.page, planUrl, 'plan shared es (parent)');
  await parent.page.getByText(p('es', 'plan-draft-banner')).waitFor();
  assert.equal(await parent.page.getByRole('link', { name: /^Editar/ }).count(), 0, 'no edit links for the family');
  await parent.page.getByLabel(p('es', 'plan-comment-label')).fill('¿Pueden incluir lectura en casa?');
  await parent.page.getByRole('button', { name: p('es', 'plan-comment-button') }).click();
  await parent.page.getByText('¿Pueden incluir lectura en casa?').waitFor();
  await checkAxe(parent.page, 'plan comments es');
  await screenshot(parent.page, 'plan-shared-es');
  await parent.context.close();

  // The case manager completes the plan (through the API, as another client would) and
  // finalizes it from the page.
  const manager = await as('case_manager');
  await manager.page.goto(planUrl);
  const csrf = await manager.page.locator('input[name=csrf]').first().inputValue();
  const api = `/api/v1/students/${student}/plans/${planUrl.split('/').pop()}`;
  const current = await (await manager.page.request.get(api)).json();
  const content = completeIep(current.content);
  const saved = await manager.page.request.put(api, { data: { revision: current.revision, content }, headers: { 'x-csrf-token': csrf } });
  assert.equal(saved.status(), 200, await saved.text());
  await manager.page.goto(planUrl);
  await manager.page.getByRole('button', { name: p('en', 'move-to-finalized') }).click();
  await manager.page.getByRole('status').filter({ hasText: p('en', 'note-plan-finalized') }).waitFor();
  await manager.page.getByRole('table', { name: p('en', 'ack-caption') }).getByRole('cell', { name: p('en', 'ack-not-yet') }).waitFor();
  await checkAxe(manager.page, 'plan finalized en');
  await screenshot(manager.page, 'plan-finalized-en');

  // The teacher: the home page says so, the list shows the accommodations; acknowledge.
  const teacher = await as('teacher', 'es');
  await teacher.page.goto('/');
  await teacher.page.getByRole('link', { name: /adaptaciones que usted debe confirmar/ }).click();
  await teacher.page.getByRole('heading', { level: 1, name: p('es', 'my-accommodations-title') }).waitFor();
  await teacher.page.getByRole('rowheader', { name: 'Extended time on tests' }).waitFor();
  await checkAxe(teacher.page, 'accommodations to acknowledge es');
  await screenshot(teacher.page, 'accommodations-es');
  await teacher.page.getByRole('button', { name: p('es', 'ack-button-for', { name: 'Lena Ortiz' }) }).click();
  await teacher.page.getByRole('status').filter({ hasText: p('es', 'note-plan-acknowledged') }).waitFor();
  await teacher.context.close();

  await manager.page.reload();
  assert.equal(await manager.page.getByRole('cell', { name: p('en', 'ack-not-yet') }).count(), 0);
  // The printout is a PDF.
  const pdf = await manager.page.request.get(`${planUrl}/pdf?lang=es`);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.ok((await pdf.body()).subarray(0, 5).toString() === '%PDF-');
  await manager.context.close();
});

/** A complete IEP from the draft's content: every section the checks ask for. */
function completeIep(content) {
  const today = new Date().toISOString().slice(0, 10);
  const yearLater = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  return {
    ...content,
    meeting: { on: today, purpose: 'initial' },
    goals: content.goals.map((g) => ({ ...g, baseline: 38, baseline_on: today })),
    services: [{ category: 'special_education', service: 'Reading instruction', provider_role: 'special_education_teacher', minutes: 150, per: 'week', setting: 'Resource room', start: today, end: yearLater }],
    accommodations: [{ description: 'Extended time on tests', provider: 'All teachers', setting: 'Tests and quizzes' }],
    assessment: { participation: 'with_accommodations', accommodations: 'Extended time', alternate_reason: '' },
    lre: { setting: 'regular_school', regular_class_percent: 85, removal_explanation: 'Small-group reading in the resource room.' },
    esy: { decision: 'not_eligible', note: '' },
    team: [
      { name: 'Ana Ortiz', role: 'parent', attendance: 'present', excusal_in_writing: false, interprets_evaluations: false },
      { name: 'Teacher', role: 'regular_education_teacher', attendance: 'present', excusal_in_writing: false, interprets_evaluations: false },
      { name: 'Case manager', role: 'special_education_teacher', attendance: 'present', excusal_in_writing: false, interprets_evaluations: true },
      { name: 'Dana Whitfield', role: 'lea_representative', attendance: 'excused', excusal_in_writing: true, interprets_evaluations: false },
    ],
    parent_participation: 'in_person',
  };
}
