/**
 * Browser harness for the end-to-end tests: Debian's Chromium driven by
 * playwright-core (which never downloads a browser of its own), the app on a
 * loopback port inside the test process, keyboard-only helpers that check the
 * focus is visible at every stop, screenshots for review and axe-core checks.
 *
 * Code passed to page.evaluate()/locator.evaluate() runs in the browser. The
 * project compiles without the DOM library (tsconfig lib ES2023), so that code
 * reaches the DOM through the small structural types below.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect } from 'chai';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { config } from '../../src/config';
import { flushSearchSync } from '../../src/search/indexer';
import { type AppServer, startAppServer } from '../support/app-server';
import { TEST_PASSWORD } from '../support/factories';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export const ARTIFACTS_DIR = join(config.paths.root, 'test-artifacts');
export const SCREENSHOT_DIR = join(ARTIFACTS_DIR, 'screenshots');

export type Mode = 'js' | 'nojs';
export const MODES: ReadonlyArray<{ mode: Mode; javaScript: boolean }> = [
  { mode: 'js', javaScript: true },
  { mode: 'nojs', javaScript: false },
];

export interface PageOptions {
  javaScript: boolean;
  /**
   * Lets axeCheck() inject axe-core. The app's CSP (script-src 'self', no
   * 'unsafe-inline') rightly blocks the inline <script> that addScriptTag()
   * inserts; bypassCSP tells Chromium to ignore the page's CSP for this
   * context only. Journeys leave it off, so they run under the real CSP and
   * fail on any CSP violation the app itself causes.
   */
  bypassCSP?: boolean;
}

export interface BrowserHarness {
  readonly baseURL: string;
  /** A fresh context (cookies, storage) and page; closed afterwards, failing on page errors, CSP violations and 5xx answers. */
  withPage<T>(opts: PageOptions, fn: (page: Page) => Promise<T>): Promise<T>;
}

/**
 * Registers before/after hooks in the calling describe: the app on a free
 * loopback port and one headless Chromium for the whole file. launch() gives
 * Chromium a fresh temporary profile (--user-data-dir) and deletes it on close.
 * A missing Chromium fails the file: these tests never skip.
 */
export function useBrowser(): BrowserHarness {
  let browser: Browser | undefined;
  let app: AppServer | undefined;

  before(async function () {
    this.timeout(60_000);
    if (!existsSync(CHROMIUM_PATH)) {
      throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: install the Debian package "chromium" (.ci/run does). Browser tests fail, they never skip.`);
    }
    app = await startAppServer();
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  });

  after(async function () {
    this.timeout(30_000);
    await browser?.close();
    await app?.close();
    // Journeys write: let their search sync end here, not during the next file's clean-up.
    await flushSearchSync();
  });

  return {
    get baseURL() {
      if (!app) throw new Error('the app server is not started (useBrowser() hooks did not run)');
      return app.baseURL;
    },
    async withPage<T>(opts: PageOptions, fn: (page: Page) => Promise<T>): Promise<T> {
      if (!browser || !app) throw new Error('the browser is not started (useBrowser() hooks did not run)');
      const context = await browser.newContext({
        baseURL: app.baseURL,
        javaScriptEnabled: opts.javaScript,
        bypassCSP: opts.bypassCSP ?? false,
        locale: 'fr-FR',
        viewport: { width: 1280, height: 900 },
        reducedMotion: 'reduce',
      });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(`uncaught error in the page: ${err.message}`));
      page.on('console', (msg) => {
        if (/Content Security Policy/i.test(msg.text())) problems.push(`CSP violation: ${msg.text()}`);
      });
      // E2E_DEBUG=1 prints each page load with the time since the page opened (to see where a journey spends its time).
      if (process.env.E2E_DEBUG) {
        const t0 = Date.now();
        page.on('load', () => process.stderr.write(`[load +${Date.now() - t0} ms] ${page.url()}\n`));
      }
      page.on('response', (res) => {
        if (res.status() >= 500) problems.push(`${res.status()} for ${res.request().method()} ${res.url()}`);
      });
      try {
        const result = await fn(page);
        expect(problems, problems.join('\n')).to.deep.equal([]);
        return result;
      } catch (err) {
        // Say where the person was and what they saw; keep a picture of it.
        const seen = await page.locator('body').innerText({ timeout: 1000 }).catch(() => '(no page)');
        const shot = join(SCREENSHOT_DIR, `FAILED-${Date.now()}.png`);
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
        const where = `\n    at ${page.url()} (screenshot ${shot})${problems.length ? `\n    page problems: ${problems.join('; ')}` : ''}\n    page text: ${seen.replace(/\s+/g, ' ').slice(0, 600)}`;
        if (!(err instanceof Error)) throw err;
        const wrapped = new Error(`${err.message}${where}`);
        wrapped.stack = `${wrapped.message}\n${(err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).join('\n')}`;
        throw wrapped;
      } finally {
        await context.close();
      }
    },
  };
}

/** Writes test-artifacts/screenshots/<journey>-<js|nojs>-<step>.png (git-ignored) for review. */
export async function screenshot(page: Page, journey: string, mode: Mode, step: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${journey}-${mode}-${step}.png`), fullPage: true });
}

// --- Browser-side types ------------------------------------------------------------------------

interface DomRect {
  width: number;
  height: number;
  top: number;
  left: number;
  bottom: number;
  right: number;
}
interface DomElement {
  tagName: string;
  id: string;
  textContent: string | null;
  ownerDocument: DomDocument;
  matches(selector: string): boolean;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): DomRect;
}
interface DomDocument {
  activeElement: DomElement | null;
  body: DomElement;
  defaultView: DomWindow;
  getElementById(id: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}
interface DomWindow {
  innerWidth: number;
  innerHeight: number;
  getComputedStyle(el: DomElement): { outlineStyle: string; outlineWidth: string; boxShadow: string; visibility: string };
}

// --- Keyboard ----------------------------------------------------------------------------------

export interface FocusStop {
  description: string;
  isTarget: boolean;
  /** Empty when the focus is visible; otherwise why not. */
  invisible: string;
}

/**
 * Where the focus is, whether it is the element marked data-tab-target, and
 * whether a sighted keyboard user can see it: on screen, and drawn with an
 * outline of 2 px or more or a box shadow (the :focus-visible rule draws both).
 */
function focusStop(): FocusStop {
  const doc = (globalThis as unknown as { document: DomDocument }).document;
  const win = doc.defaultView;
  const a = doc.activeElement;
  if (!a || a === doc.body) return { description: 'body', isTarget: false, invisible: '' };
  const label = (a.getAttribute('aria-label') ?? a.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
  const description = `<${a.tagName.toLowerCase()}${a.id ? `#${a.id}` : ''}${a.getAttribute('href') ? ` href="${a.getAttribute('href')}"` : ''}>${label ? ` « ${label} »` : ''}`;
  const style = win.getComputedStyle(a);
  const rect = a.getBoundingClientRect();
  const problems: string[] = [];
  if (!a.matches(':focus-visible')) problems.push('does not match :focus-visible');
  if (!((style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none')) {
    problems.push(`no outline or shadow (outline ${style.outlineStyle} ${style.outlineWidth}, shadow ${style.boxShadow})`);
  }
  if (rect.width < 1 || rect.height < 1 || rect.right <= 0 || rect.bottom <= 0 || rect.left >= win.innerWidth || rect.top >= win.innerHeight || style.visibility === 'hidden') {
    problems.push(`off screen (${Math.round(rect.left)},${Math.round(rect.top)} ${Math.round(rect.width)}×${Math.round(rect.height)})`);
  }
  return { description, isTarget: a.getAttribute('data-tab-target') !== null, invisible: problems.join('; ') };
}

/** The element that has the focus, described, and whether its focus is visible. */
export async function focused(page: Page): Promise<FocusStop> {
  return page.evaluate(focusStop);
}

/** Marks (or unmarks) the element tabTo() is heading for; runs in the browser, `on` is passed in. */
const markTarget = (el: { setAttribute(n: string, v: string): void; removeAttribute(n: string): void }, on: boolean) =>
  on ? el.setAttribute('data-tab-target', '') : el.removeAttribute('data-tab-target');

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus, failing if any stop
 * on the way shows no visible focus or if the target is not reached.
 */
export async function tabTo(page: Page, target: Locator, { backwards = false, max = 200 } = {}): Promise<void> {
  const key = backwards ? 'Shift+Tab' : 'Tab';
  const path: string[] = [];
  await target.waitFor({ state: 'visible' });
  await target.evaluate(markTarget, true);
  try {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press(key);
      const stop = await page.evaluate(focusStop);
      path.push(stop.description);
      if (stop.invisible) throw new Error(`focus not visible on ${stop.description}: ${stop.invisible} (tabbing to ${target})`);
      if (stop.isTarget) return;
    }
  } finally {
    await target.evaluate(markTarget, false).catch(() => undefined);
  }
  throw new Error(`${target} not reached after ${max} × ${key}; the focus went through: ${path.join(' → ')}`);
}

/** Tabs to a text field, clears it with the keyboard and types `text`. */
export async function typeInto(page: Page, field: Locator, text: string, opts: { backwards?: boolean } = {}): Promise<void> {
  await tabTo(page, field, opts);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}

/**
 * Tabs to a closed <select> and picks an option as a keyboard user does: types
 * its first letters (type-ahead); when that lands elsewhere (typing « 44 »
 * cycles through the options starting with « 4 »), goes Home and walks down
 * with the arrow keys.
 */
export async function chooseByTyping(page: Page, select: Locator, text: string, expected: RegExp): Promise<void> {
  const chosen = () => select.evaluate((el: { selectedOptions: ArrayLike<{ textContent: string | null }> }) => (el.selectedOptions[0]?.textContent ?? '').trim());
  await tabTo(page, select);
  await page.keyboard.type(text);
  if (!expected.test(await chosen())) {
    await page.keyboard.press('Home');
    for (let i = 0; i < 300 && !expected.test(await chosen()); i++) await page.keyboard.press('ArrowDown');
  }
  expect(await chosen(), `option chosen with the keyboard (typed « ${text} »)`).to.match(expected);
}

/** Presses a key that leads to a new document (link, submit button) and waits for it to load. */
export async function pressAndLoad(page: Page, key = 'Enter'): Promise<void> {
  const loaded = page.waitForEvent('load', { timeout: 15_000 });
  await page.keyboard.press(key);
  await loaded;
}

/** Tabs to a link or button and activates it with Enter, waiting for the next page. */
export async function follow(page: Page, target: Locator, opts: { backwards?: boolean } = {}): Promise<void> {
  await tabTo(page, target, opts);
  await pressAndLoad(page);
}

/**
 * Walks every focusable element of the page with Tab, once round (each stop is
 * marked so the walk ends when the focus comes back), and returns the number
 * of stops and those whose focus is not visible.
 */
export async function walkFocus(page: Page, max = 400): Promise<{ stops: number; invisible: string[] }> {
  const invisible: string[] = [];
  let stops = 0;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const seen = await page.locator('body').evaluate((body: DomElement & { ownerDocument: { activeElement: (DomElement & { setAttribute(n: string, v: string): void; hasAttribute(n: string): boolean }) | null } }) => {
      const a = body.ownerDocument.activeElement;
      if (!a || a === body) return 'body';
      if (a.hasAttribute('data-focus-walk')) return 'again';
      a.setAttribute('data-focus-walk', '');
      return 'new';
    });
    if (seen === 'again') return { stops, invisible };
    if (seen === 'body') continue;
    stops++;
    const stop = await focused(page);
    if (stop.invisible) invisible.push(`${stop.description}: ${stop.invisible}`);
  }
  throw new Error(`the focus did not come back to its start after ${max} × Tab`);
}

// --- Accessibility -----------------------------------------------------------------------------

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

const axeReport: Record<string, AxeViolation[]> = {};

/**
 * Runs axe-core (WCAG 2.x A/AA and best practices) in the page and fails on
 * serious or critical violations, listing them. Every violation, whatever its
 * impact, is also written to test-artifacts/axe-report.json for review.
 *
 * axe is injected with addScriptTag({ content }), an inline script that the
 * app's CSP blocks: the page must come from a context opened with
 * bypassCSP: true, and JavaScript on (axe is a script; with script execution
 * disabled its timers never fire). The HTML checked is the same the server
 * sends to a browser without JavaScript, plus app.js's enhancements.
 */
export async function axeCheck(page: Page, label: string): Promise<AxeViolation[]> {
  const present = await page.evaluate(() => 'axe' in globalThis);
  if (!present) {
    await page.addScriptTag({ content: AXE_SOURCE }).catch((err: Error) => {
      throw new Error(`axe-core could not be injected on ${label} (open the page with { javaScript: true, bypassCSP: true }): ${err.message}`);
    });
  }
  const violations = await page.evaluate(async (tags: string[]) => {
    type AxeResult = { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }> };
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<AxeResult> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`),
    }));
  }, AXE_TAGS);
  axeReport[label] = violations;
  // Both test workers add to one report (test/support/global-setup.ts empties it at the start of a run).
  const reportPath = join(ARTIFACTS_DIR, 'axe-report.json');
  const report = existsSync(reportPath) ? (JSON.parse(readFileSync(reportPath, 'utf8')) as Record<string, AxeViolation[]>) : {};
  report[label] = violations;
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const listing = blocking.map((v) => `  ${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n}`).join('\n')}`).join('\n');
  expect(blocking, `axe-core found serious or critical violations on ${label}:\n${listing}`).to.deep.equal([]);
  return violations;
}

/** All violations this process recorded so far, by page label. */
export function axeViolationsSoFar(): Readonly<Record<string, AxeViolation[]>> {
  return axeReport;
}

/**
 * Checks the error pattern of a form page: every field marked aria-invalid is
 * described by its visible error message, and every link of the error summary
 * leads to an element that exists (a form-level error is plain text, not a
 * link to nowhere). Returns the problems found.
 */
export async function errorLinkageProblems(page: Page): Promise<string[]> {
  return page.locator('body').evaluate((body: DomElement) => {
    const doc = body.ownerDocument;
    const problems: string[] = [];
    const invalid = Array.from(doc.querySelectorAll('[aria-invalid="true"]'));
    const fieldLinks = Array.from(doc.querySelectorAll('[data-error-summary] a[href^="#"]'));
    if (fieldLinks.length && !invalid.length) problems.push('the summary lists field errors but no field is marked aria-invalid="true"');
    for (const field of invalid) {
      const ids = (field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
      const texts = ids.map((id) => doc.getElementById(id)?.textContent ?? '');
      if (!texts.some((t) => /Erreur\s*:/.test(t))) problems.push(`#${field.id} is aria-invalid but not described by an error message (aria-describedby="${ids.join(' ')}")`);
    }
    for (const link of fieldLinks) {
      const id = (link.getAttribute('href') ?? '').slice(1);
      if (!doc.getElementById(id)) problems.push(`error summary link « ${link.textContent?.trim()} » points to #${id}, which does not exist`);
    }
    return problems;
  });
}

/**
 * The form controls a person sees on the page without opening anything: visible inputs
 * (not hidden ones), selects, textareas and buttons inside <main>. Closed <details> hide theirs.
 */
export async function visibleControls(page: Page): Promise<string[]> {
  const all = page.locator('main input:not([type="hidden"]), main select, main textarea, main button');
  const out: string[] = [];
  for (const el of await all.all()) {
    if (await el.isVisible()) out.push(await el.evaluate((e: { id: string; tagName: string; getAttribute(n: string): string | null }) => `${e.tagName.toLowerCase()}#${e.id || e.getAttribute('name') || '?'}`));
  }
  return out;
}

/** How many CSS pixels the page is wider than its viewport (0 when nothing overflows sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
    return Math.max(0, doc.documentElement.scrollWidth - doc.documentElement.clientWidth);
  });
}

/** Signs in through the form, typing as a person does. */
export async function signIn(page: Page, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto('/connexion');
  await typeInto(page, page.locator('#email'), email);
  await typeInto(page, page.locator('#password'), password);
  await follow(page, page.getByRole('button', { name: 'Se connecter', exact: true }));
}
