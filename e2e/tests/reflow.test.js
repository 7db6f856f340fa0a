// Reflow (WCAG 2.1 SC 1.4.10): at 320 CSS pixels wide — a phone, or a desktop zoomed to 400% —
// every page reads without scrolling sideways. Data tables may scroll inside their own box (the
// criterion's exception for content that needs two dimensions), never the page itself.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo } from '../lib/server.js';
import { launchBrowser, newContext, checkAxe } from '../lib/browser.js';
import { signIn } from '../lib/app.js';

let app;
let browser;
before(async () => {
  [app, browser] = await Promise.all([startDemo(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

const PHONE = { viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true };

/** What sticks out past the viewport's right edge, outside a scrolling table box. */
async function overflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scrollsItself = (el) => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const style = getComputedStyle(p);
        if (['auto', 'scroll'].includes(style.overflowX) && p.clientWidth <= width) return true;
      }
      return false;
    };
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.right <= width + 1 || scrollsItself(el)) continue;
      out.push(`${el.tagName.toLowerCase()}${el.getAttribute('class') ? '.' + el.getAttribute('class') : ''} ends at ${Math.round(box.right)}px`);
      if (out.length >= 5) break;
    }
    return { pageWidth: document.documentElement.scrollWidth, width, out };
  });
}

async function assertReflows(page, label) {
  const found = await overflow(page);
  assert.ok(
    found.pageWidth <= found.width + 1 && found.out.length === 0,
    `${label}: the page scrolls sideways at ${found.width}px (content ${found.pageWidth}px wide): ${found.out.join('; ')}`,
  );
}

/** The first link on the page to a student's own page. */
async function firstStudentPath(page) {
  const hrefs = await page.locator('main a[href^="/students/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const student = hrefs.find((h) => /^\/students\/\d+$/.test(h));
  assert.ok(student, 'a student is linked from the page');
  return student;
}

test('sign-in reflows at 320px', async () => {
  const context = await newContext(browser, app.base, PHONE);
  const page = await context.newPage();
  await page.goto('/sign-in');
  await assertReflows(page, '/sign-in');
  await context.close();
});

// Each role: its start page, other pages, and the student pages (suffixes of /students/{id})
// reached from a student linked on the start page.
for (const [role, start, pages, studentSuffixes] of [
  ['case_manager', '/caseload', [], ['', '/services', '/goals', '/interventions']],
  ['district_admin', '/compliance', ['/reports', '/compliance/services'], []],
  ['parent', '/', [], ['']],
  ['provider', '/sessions', [], []],
]) {
  test(`${role}: every page reflows at 320px`, async () => {
    const context = await newContext(browser, app.base, PHONE);
    const page = await context.newPage();
    await signIn(page, app.logins[role].username, app.password);
    await page.goto(start);
    await assertReflows(page, `${role} ${start}`);
    await checkAxe(page, `${role} ${start} at 320px`);
    for (const path of pages) {
      await page.goto(path);
      await assertReflows(page, `${role} ${path}`);
    }
    if (studentSuffixes.length) {
      await page.goto(start);
      const student = await firstStudentPath(page);
      for (const suffix of studentSuffixes) {
        await page.goto(student + suffix);
        await assertReflows(page, `${role} ${student}${suffix}`);
        // A goal's own page holds its progress chart.
        const goal = (await page.locator('main a[href*="/goals/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
          .find((h) => /\/goals\/\d+$/.test(h));
        if (suffix === '/goals' && goal) {
          await page.goto(goal);
          await assertReflows(page, `${role} ${goal}`);
          await checkAxe(page, `${role} goal page at 320px`);
        }
      }
      await checkAxe(page, `${role} student page at 320px`);
    }
    await context.close();
  });
}
