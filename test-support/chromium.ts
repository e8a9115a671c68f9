// Headless Chromium for the real-browser tests: playwright-core driving the system's Chromium
// (Debian's `chromium` package; no browser is ever downloaded). CHROMIUM_PATH names it, else
// /usr/bin/chromium. Without one the suites are skipped with the reason, except under CI=true,
// where that is a failure (.ci/run installs the package). Also: screenshots of failed tests, and
// useChromium, the hooks a browser suite repeats (launch, a fresh profile per page, screenshots
// of a failed test's pages, closing).
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";

const DEFAULT_PATH = "/usr/bin/chromium";

/** Where failed tests leave their screenshots (gitignored). */
const SCREENSHOT_DIR = fileURLToPath(new URL("../test-results/screenshots/", import.meta.url));

/** The Chromium to drive, or why there is none. */
function findChromium(
  env: Readonly<Record<string, string | undefined>> = process.env,
): { ok: true; path: string } | { ok: false; reason: string } {
  const path = env.CHROMIUM_PATH || DEFAULT_PATH;
  if (existsSync(path)) return { ok: true, path };
  return {
    ok: false,
    reason: env.CHROMIUM_PATH
      ? `CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist`
      : `no Chromium at ${DEFAULT_PATH} (install Debian's chromium package, or set CHROMIUM_PATH)`,
  };
}

/**
 * Decides at collection time whether a browser suite runs: false (and one printed line) when
 * there is no Chromium; throws under CI=true, where it must be there.
 */
export function requireChromiumUnlessLocal(suite: string): boolean {
  const found = findChromium();
  if (found.ok) return true;
  if (process.env.CI === "true")
    throw new Error(`${suite}: CI=true but ${found.reason}; .ci/run installs it (apt-get install chromium)`);
  console.warn(`${suite}: skipped, ${found.reason}`);
  return false;
}

/** Launches headless Chromium (no sandbox: the tests run as root in a container). */
async function launchChromium(): Promise<Browser> {
  const found = findChromium();
  if (!found.ok) throw new Error(found.reason);
  return chromium.launch({
    executablePath: found.path,
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
  });
}

/**
 * Saves a full-page screenshot of each page to test-results/screenshots/<name>-<n>.png and
 * answers the paths (a page already closed is left out).
 */
async function screenshots(name: string, pages: readonly Page[]): Promise<string[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const safe = name
    .replace(/[^a-z0-9]+/gi, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 80);
  const paths: string[] = [];
  for (const [i, page] of pages.entries()) {
    if (page.isClosed()) continue;
    const path = join(SCREENSHOT_DIR, `${safe}-${i + 1}.png`);
    try {
      await page.screenshot({ path, fullPage: true });
      paths.push(path);
    } catch {
      // A page that is gone or navigating cannot be shot; the others still are.
    }
  }
  return paths;
}

/** What {@link useChromium} hands a suite. */
export interface ChromiumSuite {
  /** The browser: set once the suite's beforeAll has run. */
  readonly browser: Browser;
  /**
   * A page in a fresh browser profile (its own cookies), 15 s default timeout; `setup` runs on
   * the context first (routes, say). Closed after the test; shot first when the test fails.
   */
  newPage(
    viewport?: { width: number; height: number },
    setup?: (context: BrowserContext) => Promise<void>,
  ): Promise<Page>;
  /** Keeps a full-page screenshot of `page` as `<pagesDir>/<name>.png`, an artefact of the run. */
  keep(page: Page, name: string): Promise<void>;
}

/**
 * The hooks of a Chromium suite, registered in the describe block that calls it: launches the
 * browser before the suite and closes it after; after each test, a failed test's pages are
 * saved by {@link screenshots} (their paths printed), then every profile it opened is closed.
 * `pagesDir` is where {@link ChromiumSuite.keep} writes (default test-results/pages/).
 */
export function useChromium(suite: string, options: { pagesDir?: string | undefined } = {}): ChromiumSuite {
  const pagesDir = options.pagesDir ?? join(process.cwd(), "test-results", "pages");
  let browser: Browser | undefined;
  /** The contexts the current test opened. */
  let open: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(pagesDir, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === "fail") {
      const paths = await screenshots(
        task.name,
        open.flatMap((c) => c.pages()),
      );
      if (paths.length > 0) console.error(`${suite}: screenshots of "${task.name}":\n  ${paths.join("\n  ")}`);
    }
    await Promise.all(open.map((c) => c.close()));
    open = [];
  });
  const launched = (): Browser => {
    if (!browser) throw new Error(`${suite}: the browser is launched in beforeAll; use it inside a test`);
    return browser;
  };
  return {
    get browser() {
      return launched();
    },
    async newPage(viewport = { width: 1280, height: 800 }, setup) {
      const context = await launched().newContext({ viewport });
      open.push(context);
      await setup?.(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
    async keep(page, name) {
      await page.screenshot({ path: join(pagesDir, `${name}.png`), fullPage: true });
    },
  };
}
