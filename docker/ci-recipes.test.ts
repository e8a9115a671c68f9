// The CI recipes (docs/ci-recipes.md, docker/compose.yaml) hold together: every YAML block parses
// and points the SDKs at the emulator through the environment, and SDK v3 really reads that
// environment: a client given only a region and credentials reaches an emulator on a port.
// docker compose is not installed here, so the compose file is parsed, not brought up.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  ListUserPoolsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startTwin, type TestTwin } from "../test-support/twin.js";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const ENDPOINT_VAR = "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER";

type Env = Record<string, string>;
interface ComposeService {
  image?: string;
  environment?: Env;
  volumes?: string[];
  healthcheck?: Record<string, unknown>;
  depends_on?: Record<string, { condition: string }>;
}

describe("docker/compose.yaml", () => {
  const compose = parse(readFileSync(join(ROOT, "docker", "compose.yaml"), "utf8")) as {
    services: Record<string, ComposeService>;
  };

  it("runs the app once the emulator is healthy, reaching it by its service name through the SDKs' variable", () => {
    const { cognito, app } = compose.services;
    expect(cognito?.image).toBe("cognito-twin:local");
    expect(cognito?.environment?.COGNITO_TWIN_ALLOWED_HOSTS?.split(",")).toContain("cognito");
    expect(cognito?.healthcheck).toBeDefined();
    expect(app?.depends_on).toEqual({ cognito: { condition: "service_healthy" } });
    expect(app?.environment).toMatchObject({
      [ENDPOINT_VAR]: "http://cognito:9229",
      COGNITO_ENDPOINT: "http://cognito:9229",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
    });
  });

  it("mounts a seed file that exists, whose pool and client are the app's", () => {
    const mount = compose.services.cognito?.volumes?.find((v) => v.includes(":/config/seed.json"));
    const source = join(ROOT, "docker", mount!.split(":")[0]!);
    expect(existsSync(source)).toBe(true);
    const seed = JSON.parse(readFileSync(source, "utf8")) as {
      UserPools: { Id: string; Clients: { ClientId: string }[] }[];
    };
    const env = compose.services.app!.environment!;
    const pool = seed.UserPools.find((p) => p.Id === env.COGNITO_USER_POOL_ID);
    expect(pool?.Clients.map((c) => c.ClientId)).toContain(env.COGNITO_APP_CLIENT_ID);
  });
});

describe("docs/ci-recipes.md", () => {
  const page = readFileSync(join(ROOT, "docs", "ci-recipes.md"), "utf8");
  const blocks = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]!) as Record<string, unknown>);
  // A recipe is a block with a job that runs tests: GitHub's `jobs.test`, GitLab's `test`.
  const jobs = blocks.flatMap((b) => {
    const job = (b.jobs as Record<string, unknown> | undefined)?.test ?? b.test;
    return job ? [job as Record<string, unknown>] : [];
  });

  it("has three recipes that parse: GitHub with a service, GitHub with npx, GitLab with a service", () => {
    expect(blocks).toHaveLength(4); // and the workflow that publishes the image
    expect(jobs).toHaveLength(3);
  });

  it("sets the endpoint, a region and credentials in every recipe's environment", () => {
    for (const job of jobs) {
      const env = (job.env ?? job.variables) as Env;
      expect(env[ENDPOINT_VAR]).toMatch(/^http:\/\/(127\.0\.0\.1|cognito):9229$/);
      expect(env).toMatchObject({
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
      });
    }
  });

  it("publishes the port of the GitHub service and names the GitLab service as the job calls it", () => {
    const github = jobs[0] as { services: { cognito: { ports: string[] } } };
    expect(github.services.cognito.ports).toEqual(["9229:9229"]);
    const gitlab = jobs[2] as {
      services: { alias: string; variables: Env }[];
      variables: Env;
    };
    expect(gitlab.services[0]?.alias).toBe("cognito");
    expect(gitlab.services[0]?.variables.COGNITO_TWIN_ALLOWED_HOSTS).toBe("cognito");
    expect(gitlab.variables[ENDPOINT_VAR]).toBe("http://cognito:9229");
  });

  it("starts npx with a seed file and waits for /health before the tests", () => {
    const steps = (jobs[1] as { steps: { run?: string }[] }).steps.map((s) => s.run ?? "");
    const start = steps.findIndex((r) => r.includes("npx cognito-twin --config"));
    expect(start).toBeGreaterThan(-1);
    expect(steps[start]).toContain("curl -sf http://127.0.0.1:9229/health");
    expect(steps.indexOf("npm test")).toBeGreaterThan(start);
  });
});

describe("SDK v3 with the endpoint only in the environment", () => {
  let twin: TestTwin;
  const saved = { specific: process.env[ENDPOINT_VAR], global: process.env.AWS_ENDPOINT_URL };
  beforeAll(async () => {
    twin = await startTwin();
  });
  afterAll(async () => {
    await twin?.close();
  });
  afterEach(() => {
    for (const [name, value] of [
      [ENDPOINT_VAR, saved.specific],
      ["AWS_ENDPOINT_URL", saved.global],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  /** A client as an app under test makes it: no endpoint in code. */
  const plainClient = () =>
    new CognitoIdentityProviderClient({
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });

  it.each([
    [ENDPOINT_VAR, "the service-specific variable"],
    ["AWS_ENDPOINT_URL", "the variable for every service"],
  ])("reaches the emulator named by %s (%s)", async (variable) => {
    process.env[variable] = twin.url;
    const cognito = plainClient();
    try {
      const created = await cognito.send(new CreateUserPoolCommand({ PoolName: `env-${variable}` }));
      const { UserPools } = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
      expect(UserPools?.map((p) => p.Id)).toContain(created.UserPool?.Id);
    } finally {
      cognito.destroy();
    }
  });

  it("prefers the service-specific variable over AWS_ENDPOINT_URL", async () => {
    process.env.AWS_ENDPOINT_URL = "http://127.0.0.1:9"; // nothing listens on the discard port
    process.env[ENDPOINT_VAR] = twin.url;
    const cognito = plainClient();
    try {
      const { UserPools } = await cognito.send(new ListUserPoolsCommand({ MaxResults: 1 }));
      expect(UserPools).toBeDefined();
    } finally {
      cognito.destroy();
    }
  });
});
