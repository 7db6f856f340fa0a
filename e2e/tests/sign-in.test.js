// Sign-in for every demo role (English and Spanish), the accessible error for a wrong password,
// and two-step verification: set up on the account page with a TOTP code the test computes,
// then a fresh sign-in through the second-factor step.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo } from '../lib/server.js';
import { launchBrowser, newContext, checkAxe, screenshot, checkAriaSnapshot } from '../lib/browser.js';
import { t, LANGS, re, signIn, signOut, chooseLanguage, maskVolatile } from '../lib/app.js';
import { totp } from '../lib/totp.js';

let app;
let browser;
before(async () => {
  [app, browser] = await Promise.all([startDemo(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

const LANDING = {
  district_admin: '/compliance',
  compliance_viewer: '/compliance',
  case_manager: '/caseload',
  evaluator: '/caseload',
  coordinator_504: '/caseload',
  teacher: '/',
  provider: '/',
  parent: '/',
  student: '/',
};

test('every demo role signs in and lands on its home page', async () => {
  assert.deepEqual(Object.keys(app.logins).sort(), Object.keys(LANDING).sort(), 'one demo login per role');
  for (const [i, [role, login]] of Object.entries(app.logins).entries()) {
    const lang = LANGS[i % 2];
    const context = await newContext(browser, app.base);
    const page = await context.newPage();
    await page.goto('/sign-in');
    if (lang === 'es') await chooseLanguage(page, 'es');
    await signIn(page, login.username, app.password, lang);
    assert.equal(new URL(page.url()).pathname, LANDING[role], `${role} lands on ${LANDING[role]}`);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    // The signed-in header names the person and offers sign-out.
    await page.getByRole('banner').getByText(login.name).waitFor();
    await signOut(page, lang);
    await page.getByRole('status').filter({ hasText: t(lang, 'note-signed-out') }).waitFor();
    await context.close();
  }
});

for (const lang of LANGS) {
  test(`sign-in page and wrong-password error are accessible (${lang})`, async () => {
    const context = await newContext(browser, app.base, { locale: lang === 'es' ? 'es-US' : 'en-US' });
    const page = await context.newPage();
    await page.goto('/sign-in');
    assert.equal(await page.getAttribute('html', 'lang'), lang, 'Accept-Language picks the language');
    await page.getByRole('heading', { level: 1, name: t(lang, 'sign-in-title') }).waitFor();
    await checkAxe(page, `sign-in ${lang}`);
    await screenshot(page, `sign-in-${lang}`);
    await checkAriaSnapshot(page, `sign-in-${lang}`, maskVolatile);

    await page.getByLabel(t(lang, 'field-username')).fill(app.logins.case_manager.username);
    await page.getByLabel(t(lang, 'field-password'), { exact: true }).fill('not the password');
    await page.getByRole('button', { name: t(lang, 'sign-in-button') }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), re(t(lang, 'error-sign-in')));
    // The error is tied to the username field: invalid, and described by the error's text.
    const username = page.getByLabel(t(lang, 'field-username'));
    assert.equal(await username.getAttribute('aria-invalid'), 'true');
    const describedBy = await username.getAttribute('aria-describedby');
    assert.ok(describedBy, 'username field has aria-describedby');
    const description = await page.evaluate(
      (ids) => ids.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim(),
      describedBy,
    );
    assert.match(description, re(t(lang, 'error-sign-in')), `aria-describedby="${describedBy}" names the error`);
    assert.equal(await username.inputValue(), app.logins.case_manager.username, 'username is kept');
    await checkAxe(page, `sign-in error ${lang}`);
    await screenshot(page, `sign-in-error-${lang}`);
    await context.close();
  });
}

test('two-step verification: set up on the account page, then sign in through the second step', async () => {
  const username = 'e2e.casemanager';
  const password = 'correct horse battery staple';
  app.cli(['user', 'add', '--username', username, '--role', 'case_manager', '--name', 'Erin Two-Step', '--password-stdin'], password);

  // Demo mode lets staff in with the password alone; the account page offers two-step set-up.
  const context = await newContext(browser, app.base);
  const page = await context.newPage();
  await signIn(page, username, password);
  await page.goto('/account');
  await page.getByRole('button', { name: t('en', 'two-step-start-button') }).click();
  const secretText = await page.locator('#two-step code.secret').innerText();
  const secret = secretText.replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]+=*$/, `the secret is shown as base32 text: ${secretText}`);
  // The QR code has a text alternative, and the secret is readable text beside it.
  await page.locator('#two-step figure svg[role="img"], #two-step figure svg[aria-label], #two-step figure svg title').first().waitFor({ state: 'attached' });
  await checkAxe(page, 'account two-step set-up');
  await screenshot(page, 'account-two-step-setup-en');

  // Confirm with the code of the previous 30-second step (accepted: one step of skew), so the
  // current step's code is still unused for the sign-in below.
  const now = Date.now() / 1000;
  await page.getByLabel(t('en', 'field-totp-code')).fill(totp(secret, now - 30));
  await page.getByRole('button', { name: t('en', 'two-step-confirm-button') }).click();
  await page.getByRole('heading', { level: 1, name: t('en', 'recovery-codes-title') }).waitFor();
  const codes = await page.locator('.codes code').allInnerTexts();
  assert.ok(codes.length >= 5, `recovery codes shown: ${codes.length}`);
  await checkAxe(page, 'recovery codes');
  await page.goto('/account');
  await page.getByText(t('en', 'two-step-on')).waitFor();
  await signOut(page);
  await context.close();

  // Outside demo mode (a second server on the same database) the password alone is not enough.
  const strict = await app.serve();
  const ctx2 = await newContext(browser, strict);
  const p2 = await ctx2.newPage();
  await signIn(p2, username, password);
  assert.equal(new URL(p2.url()).pathname, '/sign-in/second-factor');
  await p2.getByRole('heading', { level: 1, name: t('en', 'second-factor-title') }).waitFor();
  await checkAxe(p2, 'second factor');
  await screenshot(p2, 'second-factor-en');
  // A wrong code: an alert, and the field marked invalid and described by it.
  await p2.getByLabel(t('en', 'field-totp-code')).fill('000000' === totp(secret) ? '111111' : '000000');
  await p2.getByRole('button', { name: t('en', 'continue-button') }).click();
  await p2.getByRole('alert').filter({ hasText: t('en', 'error-totp') }).waitFor();
  const field = p2.getByLabel(t('en', 'field-totp-code'));
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  assert.match(await field.getAttribute('aria-describedby'), /code-error/);
  await checkAxe(p2, 'second factor error');
  // The right code lets the user in.
  const step = Math.max(Math.floor(now / 30), Math.floor(Date.now() / 1000 / 30));
  await p2.getByLabel(t('en', 'field-totp-code')).fill(totp(secret, step * 30));
  await Promise.all([
    p2.waitForURL((u) => u.pathname === '/caseload'),
    p2.getByRole('button', { name: t('en', 'continue-button') }).click(),
  ]);
  await p2.getByRole('heading', { level: 1, name: t('en', 'caseload-title') }).waitFor();
  await ctx2.close();
});
