// What the container tests need before they can run: a reachable Docker engine and an image
// built from the current sources. Without an engine they are skipped, except under CI=true,
// where a missing engine is a failure (CI installs and starts one).
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { getContainerRuntimeClient, ImageName } from "testcontainers";
import { connectToEngine, NoContainerEngineError } from "../docker/testcontainers.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));

/** The image under test: COGNITO_TWIN_IMAGE, or what docker/build.sh tags. */
export const TEST_IMAGE = process.env.COGNITO_TWIN_IMAGE ?? "cognito-twin:local";

/**
 * Whether a Docker engine answers; the reason when it does not. The engine is found as the
 * testcontainers module finds it (`connectToEngine`: at localhost, inside a container, when the
 * engine has no bridge network), and the module leaves out testcontainers' Ryuk reaper where it
 * cannot run, so these tests need no TESTCONTAINERS_* variables.
 */
export async function dockerEngine(): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await connectToEngine();
    return { ok: true };
  } catch (e) {
    const first = e instanceof NoContainerEngineError ? `${e.tried.join("; ")}` : (e as Error).message.split("\n")[0];
    return { ok: false, reason: `no Docker engine is reachable (${first})` };
  }
}

/**
 * Decides at collection time whether a container suite runs: returns false (and prints one line)
 * when there is no engine, throws when there is none under CI=true.
 */
export async function requireDockerUnlessLocal(suite: string): Promise<boolean> {
  const engine = await dockerEngine();
  if (engine.ok) return true;
  if (process.env.CI === "true")
    throw new Error(`${suite}: CI=true but ${engine.reason}; .ci/run starts dockerd before the tests`);
  console.warn(`${suite}: skipped, ${engine.reason}`);
  return false;
}

/**
 * Makes sure TEST_IMAGE exists and was built from the current sources (docker/build.sh labels it
 * with a hash of them); builds it with docker/build.sh otherwise. A COGNITO_TWIN_IMAGE chosen by
 * the caller is used as it is. The base is BASE_IMAGE, else the local imported base when that
 * image exists (an engine that cannot pull), else the official Node image.
 */
export async function ensureImage(log: (line: string) => void = console.warn): Promise<void> {
  const client = await getContainerRuntimeClient();
  const exists = await client.image.exists(ImageName.fromString(TEST_IMAGE));
  if (process.env.COGNITO_TWIN_IMAGE) {
    if (!exists) throw new Error(`COGNITO_TWIN_IMAGE=${TEST_IMAGE} does not exist`);
    return;
  }
  const { stdout } = await run("bash", ["docker/build.sh", "--source-hash"], { cwd: root });
  const wanted = stdout.trim();
  if (exists) {
    const info = await client.image.inspect(ImageName.fromString(TEST_IMAGE));
    if (info.Config.Labels?.["cognito-twin.source"] === wanted) return;
  }
  const args = ["docker/build.sh"];
  if (!process.env.BASE_IMAGE && (await client.image.exists(ImageName.fromString("cognito-twin-base:local"))))
    args.push("--local-base");
  log(`${TEST_IMAGE} is ${exists ? "older than the sources" : "missing"}: running ${args.join(" ")}`);
  try {
    await run("bash", args, { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    throw new Error(
      `docker/build.sh failed; build the image by hand (docker/build.sh, or where no registry can be reached: ` +
        `docker/build.sh --local-base):\n${(err.stdout ?? "").split("\n").slice(-15).join("\n")}\n${err.stderr ?? err.message}`,
    );
  }
}
