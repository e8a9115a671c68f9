// A running emulator (`npm start`, a container, a shared test box) at a URL.
import { type EmulatorPoolOptions, openEmulatorPool } from "./emulator.js";
import type { TargetOpening } from "./types.js";

/** Checks the emulator answers, then makes the run's pool on it (deleted at close). */
export async function openUrlTarget(
  url: string | undefined,
  options: EmulatorPoolOptions = {},
): Promise<TargetOpening> {
  if (!url) return { available: false, reason: "--target url needs --url http://host:port (the emulator's address)" };
  let base: string;
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("not http");
    base = url.replace(/\/+$/, "");
  } catch {
    return { available: false, reason: `--url "${url}" is not an http(s) URL` };
  }
  const doFetch = options.fetch ?? fetch;
  try {
    const res = await doFetch(`${base}/health`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok)
      return {
        available: false,
        reason: `${base}/health answered HTTP ${res.status}: is this a cognito-twin emulator?`,
      };
  } catch (e) {
    const c = (e as { cause?: { code?: string; message?: string } }).cause;
    const cause = c?.code ?? c?.message ?? (e as Error).message;
    return { available: false, reason: `no emulator answering at ${base} (${cause}); start one with \`npm start\`` };
  }
  return { available: true, target: await openEmulatorPool("url", base, `emulator at ${base}`, options) };
}
