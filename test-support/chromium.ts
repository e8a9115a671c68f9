// Headless Chromium for the real-browser tests: playwright-core driving the system's Chromium
// (Debian's `chromium` package; no browser is ever downloaded). CHROMIUM_PATH names it, else
// /usr/bin/chromium. Without one the suites are skipped with the reason, except under CI=true,
// where that is a failure (.ci/run installs the package). Also: screenshots of failed tests.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

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
export async function launchChromium(): Promise<Browser> {
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
export async function screenshots(name: string, pages: readonly Page[]): Promise<string[]> {
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
