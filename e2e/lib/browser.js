// Debian's Chromium through playwright-core, axe-core checks, screenshots, focus helpers and
// accessibility-tree snapshots compared against committed files.
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = path.join(here, '..', 'screenshots');
export const SNAPSHOTS = path.join(here, '..', 'snapshots');

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/**
 * Launches headless Chromium. Playwright gives every launch a fresh temporary user-data-dir
 * (and removes it on close); each `newContext` is a separate cookie jar on top of it.
 */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh cookie jar; only loopback requests are let through. */
export async function newContext(browser, base, options = {}) {
  const context = await browser.newContext({
    baseURL: base,
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    ...options,
  });
  await context.route(/.*/, (route) => {
    const url = new URL(route.request().url());
    if (['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || url.protocol === 'data:') {
      return route.continue();
    }
    return route.abort('blockedbyclient');
  });
  context.setDefaultTimeout(10_000);
  return context;
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core on the page with the WCAG 2.1 AA tags: fails on any serious or critical
 * violation, prints moderate and minor ones.
 */
export async function checkAxe(page, label) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const describe = (v) =>
    `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
    v.nodes
      .slice(0, 5)
      .map((n) => `      ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`)
      .join('\n');
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const mild = results.violations.filter((v) => !bad.includes(v));
  if (mild.length) {
    console.log(`axe (${label}): ${mild.length} moderate/minor violation(s):\n${mild.map(describe).join('\n')}`);
  }
  assert.equal(
    bad.length,
    0,
    `axe (${label}): serious/critical violations:\n${bad.map(describe).join('\n')}`,
  );
  return results;
}

export async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Compares the accessibility tree (Playwright's ARIA snapshot of <body>) with
 * snapshots/<name>.aria.yml; UPDATE_SNAPSHOTS=1 (re)writes the file instead.
 * `normalize` masks what changes from run to run (dates, times, generated names).
 */
export async function checkAriaSnapshot(page, name, normalize = (s) => s) {
  const actual = normalize(await page.locator('body').ariaSnapshot()) + '\n';
  const file = path.join(SNAPSHOTS, `${name}.aria.yml`);
  if (process.env.UPDATE_SNAPSHOTS === '1' || !fs.existsSync(file)) {
    fs.mkdirSync(SNAPSHOTS, { recursive: true });
    fs.writeFileSync(file, actual);
    if (process.env.UPDATE_SNAPSHOTS !== '1') {
      console.log(`wrote new accessibility snapshot ${path.relative(process.cwd(), file)}`);
    }
    return;
  }
  const expected = fs.readFileSync(file, 'utf8');
  assert.equal(actual, expected, `accessibility tree of ${name} changed (UPDATE_SNAPSHOTS=1 to accept)`);
}

/** What the focused element looks like: whether a focus indicator is drawn, and where it is. */
export async function focusInfo(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 60),
      href: el.getAttribute('href'),
      name: el.getAttribute('name'),
      visible: outline || shadow,
      outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`,
      boxShadow: cs.boxShadow,
      x: r.left + window.scrollX,
      y: r.top + window.scrollY,
      w: r.width,
      h: r.height,
    };
  });
}

/** Presses Tab until `predicate(focusInfo)` holds, asserting a visible focus at every stop. */
export async function tabUntil(page, predicate, { max = 60, key = 'Tab' } = {}) {
  const stops = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const info = await focusInfo(page);
    if (info) {
      assert.ok(info.visible, `focus not visible on ${info.tag}#${info.id} "${info.text}" (outline ${info.outline}, box-shadow ${info.boxShadow})`);
      stops.push(info);
      if (predicate(info)) return stops;
    }
  }
  throw new Error(`never reached the wanted element by ${key}; stops: ${stops.map((s) => s.text || s.id).join(' | ')}`);
}
