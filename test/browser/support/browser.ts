/**
 * Browser test infrastructure: the real app served on a loopback port, Debian's Chromium driven by playwright-core,
 * and the checks the participant pages must pass — axe-core accessibility, no third-party requests, first-load
 * weight — plus full-page screenshots for docs/screenshots.
 *
 * Chromium is the system one (/usr/bin/chromium, Debian's package; scripts/ensure-chromium.sh installs it, and the
 * suite's globalSetup runs that script when the browser is missing). Playwright's own browser download does not work
 * on this closed network, hence playwright-core with an executablePath.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type LaunchOptions, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createTestApp, type TestApp, type TestAppOptions } from '../../support/test-app.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SCREENSHOT_DIR = join(REPO_ROOT, 'docs', 'screenshots');
export const ENSURE_CHROMIUM_SCRIPT = join(REPO_ROOT, 'scripts', 'ensure-chromium.sh');

/** Where Chromium is: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
}

/**
 * Flags for this closed network: without the background-networking ones Chromium keeps trying (and failing) to reach
 * Google's hosts. Playwright adds its own (a fresh empty --user-data-dir among them).
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** The phone the participant pages are designed for. */
export const MOBILE_VIEWPORT = { width: 360, height: 800 } as const;

// ---------------------------------------------------------------------------------------------------------------
// The server

export interface PortalServerOptions extends Omit<TestAppOptions, 'listen'> {
  /** 'test' (default) and 'development' both have the /dev/* endpoints (config.isDevelopment); 'production' needs secrets in `env`. */
  nodeEnv?: 'test' | 'development' | 'production';
}

export type PortalServer = TestApp & {
  /** `http://127.0.0.1:PORT`, also the configured PUBLIC_BASE_URL. */
  origin: string;
  /** The absolute URL of a path on this server. */
  url: (path: string) => string;
  /** fetch() over real HTTP to this server (the TestApp helpers get/post/request go through app.request()). */
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
};

/**
 * The real app (createTestApp: compose() over a fresh test database, clock at TEST_START) served on 127.0.0.1 at a
 * free port. close() stops the server and the database.
 */
export async function startPortalServer(options: PortalServerOptions = {}): Promise<PortalServer> {
  const { nodeEnv, ...rest } = options;
  const app = await createTestApp({ ...rest, env: { ...(nodeEnv ? { NODE_ENV: nodeEnv } : {}), ...rest.env }, listen: true });
  const origin = app.origin;
  if (!origin) {
    await app.close();
    throw new Error('createTestApp({ listen: true }) returned no origin');
  }
  const url = (path: string) => new URL(path, origin).toString();
  return { ...app, origin, url, fetch: (path, init) => fetch(url(path), init) };
}

// ---------------------------------------------------------------------------------------------------------------
// The browser

/** Launches headless Chromium (see chromiumPath and CHROMIUM_ARGS); fails with what to do when it cannot. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}. Install it with \`bash scripts/ensure-chromium.sh\` (Debian's chromium package, ` +
        'needs root and apt) or set CHROMIUM_PATH to a Chromium/Chrome binary. `npx playwright install` does not work on this network.',
    );
  }
  try {
    return await chromium.launch({ headless: true, ...options, executablePath, args: [...CHROMIUM_ARGS, ...(options.args ?? [])] });
  } catch (err) {
    throw new Error(`Chromium at ${executablePath} did not start: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

export interface MobileContextOptions extends BrowserContextOptions {
  /** false: a browser with JavaScript off, for the no-JS journeys. Default true. */
  javaScriptEnabled?: boolean;
}

/**
 * A fresh context (empty cache and cookies) as a participant's phone: 360×800 CSS pixels at device scale 1, mobile
 * (meta viewport honoured) with touch, Indonesian locale, Jakarta time, reduced motion. Pass `baseURL: server.origin`
 * to goto('/path'). Anything can be overridden.
 */
export async function newMobileContext(browser: Browser, options: MobileContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { ...MOBILE_VIEWPORT },
    screen: { ...MOBILE_VIEWPORT },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
    colorScheme: 'light',
    reducedMotion: 'reduce',
    ...options,
  });
}

/** newMobileContext plus one page in it. Close the context (not just the page) when done. */
export async function newMobilePage(browser: Browser, options: MobileContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newMobileContext(browser, options);
  return { context, page: await context.newPage() };
}

/**
 * beforeAll/afterAll for a browser test file: one server and one browser for the file. Read `suite.server` and
 * `suite.browser` inside tests (they are set once beforeAll has run).
 */
export function useBrowserSuite(options: PortalServerOptions = {}): { readonly server: PortalServer; readonly browser: Browser } {
  let server: PortalServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startPortalServer(options), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('useBrowserSuite: the server is only there once beforeAll has run');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('useBrowserSuite: the browser is only there once beforeAll has run');
      return browser;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Accessibility

export interface AxeOptions {
  /** Only these axe tags (e.g. ['wcag2a', 'wcag2aa', 'wcag21aa']); default: all of axe's rules. */
  tags?: string[];
  /** Rule ids to skip — say why at the call site. */
  disableRules?: string[];
  /** CSS selectors to leave out. */
  exclude?: string[];
}

export type AxeViolation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

/**
 * Runs axe-core on the page as it is now and throws, listing every violation (rule id, impact, help, each node's
 * target and failure summary), when there is any. Returns the full results otherwise.
 *
 * CSP-proof without weakening it: @axe-core/playwright injects axe with page.evaluate (DevTools' Runtime.evaluate,
 * which a page's Content-Security-Policy does not govern), never with a <script> tag — so no bypassCSP is needed and
 * the page's CSP stays under test. Works in contexts with JavaScript disabled too (see below).
 */
export async function expectNoAxeViolations(page: Page, options: AxeOptions = {}) {
  let builder = new AxeBuilder({ page });
  if (options.tags?.length) builder = builder.withTags(options.tags);
  if (options.disableRules?.length) builder = builder.disableRules(options.disableRules);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  if (await page.evaluate(scriptingDisabled)) {
    // With JavaScript off Chromium runs no timers, and axe yields with setTimeout: it would wait forever. Promise
    // jobs still run, so axe gets timers made of them (only axe calls them: the page's own scripts never run), and
    // runs in the page itself (legacy mode) rather than in the extra page the default mode opens to merge results.
    await page.evaluate(promiseTimers);
    builder = builder.setLegacyMode(true);
  }
  let timer: NodeJS.Timeout | undefined;
  const results = await Promise.race([
    builder.analyze(),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`axe-core did not finish on ${page.url()} within 20 s`)), 20_000);
    }),
  ]).finally(() => clearTimeout(timer));
  if (results.violations.length > 0) {
    throw new Error(`axe-core: ${results.violations.length} accessibility violation(s) on ${page.url()}\n${formatViolations(results.violations)}`);
  }
  return results;
}

/** True in a document without scripting: there a <noscript>'s content parses as elements, not as text. */
function scriptingDisabled(): boolean {
  const probe = document.createElement('noscript');
  probe.innerHTML = '<b></b>';
  return probe.children.length > 0;
}

/** setTimeout and friends as Promise jobs, for a page whose timers never fire (JavaScript disabled). */
function promiseTimers(): void {
  const w = window as unknown as Record<string, unknown>;
  let last = 0;
  const pending = new Set<number>();
  w['setTimeout'] = (fn: (...args: unknown[]) => void, _ms?: number, ...args: unknown[]) => {
    const id = ++last;
    pending.add(id);
    void Promise.resolve().then(() => {
      if (pending.delete(id)) fn(...args);
    });
    return id;
  };
  w['clearTimeout'] = (id: number) => pending.delete(id);
  w['requestAnimationFrame'] = (fn: (t: number) => void) => (w['setTimeout'] as (f: () => void) => number)(() => fn(performance.now()));
  w['requestIdleCallback'] = (fn: (d: { didTimeout: boolean; timeRemaining(): number }) => void) =>
    (w['setTimeout'] as (f: () => void) => number)(() => fn({ didTimeout: false, timeRemaining: () => 50 }));
}

export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map((n) => `    - ${n.target.map(String).join(' ')}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, '\n      ')}` : ''}`);
      return `  [${v.impact ?? 'n/a'}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes.join('\n')}`;
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Screenshots

/**
 * A full-page PNG at a 360×800 viewport, into docs/screenshots/<name>.png (or `dir`); returns the file's path.
 * `name` may contain '/' for sub-folders.
 */
export async function screenshot(page: Page, name: string, options: { dir?: string } = {}): Promise<string> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(name) || name.includes('..')) {
    throw new Error(`screenshot: '${name}' is not a plain file name`);
  }
  const viewport = page.viewportSize();
  if (viewport?.width !== MOBILE_VIEWPORT.width || viewport.height !== MOBILE_VIEWPORT.height) {
    await page.setViewportSize({ ...MOBILE_VIEWPORT });
  }
  const path = join(options.dir ?? SCREENSHOT_DIR, `${name}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide', type: 'png' });
  return path;
}

// ---------------------------------------------------------------------------------------------------------------
// Requests: first-party only, and how much a first load weighs

export interface TrackedRequest {
  url: string;
  method: string;
  resourceType: string;
  firstParty: boolean;
}

export interface RequestTracker {
  /** Every request seen so far, in order. */
  readonly requests: readonly TrackedRequest[];
  urls(): string[];
  /** URLs of requests to any origin other than the served one. */
  thirdParty(): string[];
  /** Throws, listing them, when any request went to another origin. */
  expectFirstPartyOnly(): void;
  /** Resolves once no request is in flight. */
  settled(): Promise<void>;
  /** Stops listening (and blocking). */
  stop(): Promise<void>;
}

/** Is this URL on the served origin? Non-network schemes (data:, blob:, about:) count as first-party. */
export function isFirstParty(url: string, origin: string): boolean {
  const u = new URL(url);
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) {
    return true;
  }
  return u.origin === new URL(origin).origin;
}

/**
 * Records every request a page (or every page of a context) makes. With `block: true` requests to other origins are
 * also aborted before they leave the browser (recorded all the same) — note that routing disables the HTTP cache.
 */
export async function trackRequests(target: Page | BrowserContext, origin: string, options: { block?: boolean } = {}): Promise<RequestTracker> {
  const requests: TrackedRequest[] = [];
  const inFlight = new Set<Request>();
  let waiters: (() => void)[] = [];
  const wake = () => {
    if (inFlight.size === 0) {
      const w = waiters;
      waiters = [];
      w.forEach((f) => f());
    }
  };
  const onRequest = (r: Request) => {
    inFlight.add(r);
    requests.push({ url: r.url(), method: r.method(), resourceType: r.resourceType(), firstParty: isFirstParty(r.url(), origin) });
  };
  const onDone = (r: Request) => {
    inFlight.delete(r);
    wake();
  };
  const blockMatcher = (url: URL) => !isFirstParty(url.toString(), origin);
  const blockHandler = (route: import('playwright-core').Route) => route.abort('blockedbyclient');

  if (isContext(target)) {
    target.on('request', onRequest);
    target.on('requestfinished', onDone);
    target.on('requestfailed', onDone);
    if (options.block) await target.route(blockMatcher, blockHandler);
  } else {
    target.on('request', onRequest);
    target.on('requestfinished', onDone);
    target.on('requestfailed', onDone);
    if (options.block) await target.route(blockMatcher, blockHandler);
  }

  const thirdParty = () => requests.filter((r) => !r.firstParty).map((r) => r.url);
  return {
    requests,
    urls: () => requests.map((r) => r.url),
    thirdParty,
    expectFirstPartyOnly() {
      const others = thirdParty();
      if (others.length > 0) {
        throw new Error(`${others.length} request(s) to an origin other than ${origin}:\n${others.map((u) => `  - ${u}`).join('\n')}`);
      }
    },
    settled: () => (inFlight.size === 0 ? Promise.resolve() : new Promise<void>((resolveWait) => waiters.push(resolveWait))),
    async stop() {
      if (isContext(target)) {
        target.off('request', onRequest);
        target.off('requestfinished', onDone);
        target.off('requestfailed', onDone);
        if (options.block) await target.unroute(blockMatcher, blockHandler);
      } else {
        target.off('request', onRequest);
        target.off('requestfinished', onDone);
        target.off('requestfailed', onDone);
        if (options.block) await target.unroute(blockMatcher, blockHandler);
      }
    },
  };
}

function isContext(target: Page | BrowserContext): target is BrowserContext {
  return typeof (target as BrowserContext).pages === 'function';
}

export interface LoadedResource {
  url: string;
  resourceType: string;
  status: number | null;
  /** Response body bytes as transferred (compressed when the server compressed), headers excluded. */
  bodyBytes: number;
  /** Response header bytes. */
  headerBytes: number;
  contentEncoding: string | null;
  failed: string | null;
}

export interface FirstLoad {
  /**
   * Sum of bodyBytes over the responses to the requests made before the load event: the compressed weight of the
   * HTML document + CSS + JS (+ images and fonts the page loads).
   */
  totalBytes: number;
  /** totalBytes plus those responses' headers. */
  transferBytes: number;
  /** bodyBytes per URL (summed when a URL was fetched twice), requests before the load event. */
  byUrl: Record<string, number>;
  /** The requests made before the load event. */
  resources: LoadedResource[];
  /** Requests begun after the load event (the favicon, say) that had finished by then; not in the totals. */
  afterLoad: LoadedResource[];
  /** Requests to origins other than the page's. */
  thirdParty: string[];
}

/**
 * Loads `url` once in a fresh context (empty cache, phone-sized; `options` as for newMobileContext) and measures what
 * came over the wire for the requests begun before the load event. Sizes are Playwright's request.sizes():
 * Chromium's encodedDataLength (bytes on the wire, so compressed) split into headers and body.
 */
export async function measureFirstLoad(browser: Browser, url: string, options: MobileContextOptions = {}): Promise<FirstLoad> {
  const context = await newMobileContext(browser, options);
  let stopCollecting = async (): Promise<void> => {};
  try {
    const origin = new URL(url).origin;
    const page = await context.newPage();
    let loaded = false;
    const beforeLoad = new WeakSet<Request>();
    const order = new Map<Request, number>();
    const finished: Promise<LoadedResource & { beforeLoad: boolean; order: number }>[] = [];
    page.on('load', () => {
      // (not the initial about:blank's)
      if (page.url() !== 'about:blank') loaded = true;
    });
    context.on('request', (r) => {
      order.set(r, order.size);
      if (!loaded) beforeLoad.add(r);
    });
    const tracker = await trackRequests(context, origin);
    const collect = (r: Request, failed: string | null) => finished.push(describeResource(r, failed).then((d) => ({ ...d, beforeLoad: beforeLoad.has(r), order: order.get(r) ?? 0 })));
    const onFinished = (r: Request) => collect(r, null);
    const onFailed = (r: Request) => collect(r, r.failure()?.errorText ?? 'failed');
    context.on('requestfinished', onFinished);
    context.on('requestfailed', onFailed);
    stopCollecting = async () => {
      // A request that finishes after the snapshot below (late after load) is still being described: let those
      // descriptions end before the context closes under them (else an unhandled "target closed" rejection).
      context.off('requestfinished', onFinished);
      context.off('requestfailed', onFailed);
      await Promise.allSettled(finished);
    };
    await page.goto(url, { waitUntil: 'load' });
    await tracker.settled();
    const all = (await Promise.all(finished)).sort((a, b) => a.order - b.order); // in the order they were requested
    const strip = ({ beforeLoad: _b, order: _o, ...r }: LoadedResource & { beforeLoad: boolean; order: number }): LoadedResource => r;
    const resources = all.filter((r) => r.beforeLoad).map(strip);
    const byUrl: Record<string, number> = {};
    for (const r of resources) {
      byUrl[r.url] = (byUrl[r.url] ?? 0) + r.bodyBytes;
    }
    const totalBytes = resources.reduce((sum, r) => sum + r.bodyBytes, 0);
    return {
      totalBytes,
      transferBytes: totalBytes + resources.reduce((sum, r) => sum + r.headerBytes, 0),
      byUrl,
      resources,
      afterLoad: all.filter((r) => !r.beforeLoad).map(strip),
      thirdParty: tracker.thirdParty(),
    };
  } finally {
    await stopCollecting();
    await context.close();
  }
}

async function describeResource(request: Request, failed: string | null): Promise<LoadedResource> {
  const response = failed ? null : await request.response();
  const sizes = failed ? null : await request.sizes();
  return {
    url: request.url(),
    resourceType: request.resourceType(),
    status: response?.status() ?? null,
    bodyBytes: sizes?.responseBodySize ?? 0,
    headerBytes: sizes?.responseHeadersSize ?? 0,
    contentEncoding: (await response?.headerValue('content-encoding')) ?? null,
    failed,
  };
}
