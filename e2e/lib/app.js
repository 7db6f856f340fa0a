// What the tests know about the app: its message catalogue (read from the Fluent files, so the
// tests follow the wording) and the sign-in steps.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const I18N = path.join(here, '..', '..', 'crates', 'web', 'i18n');

function load(lang) {
  const text = fs.readFileSync(path.join(I18N, lang, 'main.ftl'), 'utf8');
  const map = new Map();
  for (const line of text.split('\n')) {
    const m = /^([a-z][a-z0-9-]*) = (.*)$/.exec(line);
    if (m) map.set(m[1], m[2].trim());
  }
  return map;
}
const catalogues = { en: load('en'), es: load('es') };
export const LANGS = ['en', 'es'];

/** The catalogue's text for `key` in `lang` (simple messages only). */
export function t(lang, key) {
  const v = catalogues[lang].get(key);
  assert.ok(v !== undefined, `no message ${key} in ${lang}`);
  return v;
}

/** Escapes text for use inside a RegExp. */
export const re = (s) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

/** Chooses the interface language with the header's language links (plain links, no script). */
export async function chooseLanguage(page, lang) {
  const name = lang === 'es' ? 'Español' : 'English';
  await page.getByRole('navigation', { name: t(lang === 'es' ? 'en' : 'es', 'language-label') })
    .or(page.getByRole('navigation', { name: t(lang, 'language-label') }))
    .first()
    .getByRole('link', { name })
    .click();
  await page.waitForLoadState();
  assert.equal(await page.getAttribute('html', 'lang'), lang);
}

/** Signs in with the form; `lang` is the language the page is shown in. */
export async function signIn(page, username, password, lang = 'en') {
  await page.goto('/sign-in');
  await page.getByLabel(t(lang, 'field-username')).fill(username);
  await page.getByLabel(t(lang, 'field-password'), { exact: true }).fill(password);
  await Promise.all([
    page.waitForURL((u) => u.pathname !== '/sign-in'),
    page.getByRole('button', { name: t(lang, 'sign-in-button') }).click(),
  ]);
}

export async function signOut(page, lang = 'en') {
  await Promise.all([
    page.waitForURL(/\/sign-in/),
    page.getByRole('button', { name: t(lang, 'sign-out') }).click(),
  ]);
}

/** "7 de noviembre de 2026": how Spanish sentences (and explanations) write a date. */
export const SPANISH_DATE = /\b\d{1,2} de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre) de \d{4}\b/g;
/** "November 7, 2026": how English sentences write a date. */
export const ENGLISH_DATE = /\b(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}\b/g;
/** "Nov 7, 2026" / "7 nov 2026": how table cells write a date (crates/law/src/dates.rs). */
const ENGLISH_SHORT_DATE = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}\b/g;
const SPANISH_SHORT_DATE = /\b\d{1,2} (ene|feb|mar|abr|may|jun|jul|ago|sept|oct|nov|dic) \d{4}\b/g;
const SHORT_MONTHS = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  es: ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sept', 'oct', 'nov', 'dic'],
};

/** An ISO date as a table cell writes it in `lang`: "Nov 7, 2026" / "7 nov 2026". */
export function shortDate(iso, lang) {
  const [year, month, day] = iso.split('-').map(Number);
  const name = SHORT_MONTHS[lang][month - 1];
  return lang === 'es' ? `${day} ${name} ${year}` : `${name} ${day}, ${year}`;
}

/** The long date of each language, to test one string (no `g` flag, so no state). */
export const LONG_DATE = { en: new RegExp(ENGLISH_DATE.source), es: new RegExp(SPANISH_DATE.source) };

/** Masks what changes from run to run in an accessibility snapshot of generated demo data. */
export function maskVolatile(s) {
  return s
    .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?/g, '<timestamp>')
    .replace(/\d{4}-\d{2}-\d{2}/g, '<date>')
    .replace(SPANISH_DATE, '<date>')
    .replace(ENGLISH_DATE, '<date>')
    .replace(ENGLISH_SHORT_DATE, '<date>')
    .replace(SPANISH_SHORT_DATE, '<date>')
    .replace(/\b\d{1,2}:\d{2}(:\d{2})?( ?[AP]M)?( UTC)?/g, '<time>')
    .replace(/\/students\/\d+/g, '/students/<id>')
    .replace(/\(\d+\)/g, '(<n>)');
}
