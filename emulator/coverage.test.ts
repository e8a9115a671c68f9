import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coverageMarkdown } from "./coverage.js";
import { model } from "./model/index.js";

const enumOf = (shape: string) => (model.shapes[shape] as { enum: string[] }).enum;

/** The rows of the table whose header starts with `| first |`. */
function rows(markdown: string, first: string): string[][] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  const out: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    out.push(
      line
        .slice(1, -1)
        .split("|")
        .map((c) => c.trim()),
    );
  }
  return out;
}

describe("docs/coverage.md", () => {
  let generated: string;

  it("matches the registry (run `npm run generate:coverage` after adding an operation)", async () => {
    generated = await coverageMarkdown();
    const onDisk = readFileSync(new URL("../docs/coverage.md", import.meta.url), "utf8");
    expect(onDisk).toBe(generated);
    expect(generated).toMatch(/\*\*\d+ of 122 operations implemented\.\*\*/);
  });

  it("lists every AuthFlowType, tried against the operations that take it", async () => {
    generated ??= await coverageMarkdown();
    const flows = rows(generated, "auth flow");
    expect(flows.map((r) => r[0])).toEqual(enumOf("AuthFlowType"));
    const byName = new Map(flows.map((r) => [r[0], r]));
    // The public operation refuses the admin flows and the admin one USER_PASSWORD_AUTH, as Cognito does.
    expect(byName.get("USER_PASSWORD_AUTH")).toEqual(["USER_PASSWORD_AUTH", "yes", "InitiateAuth", "-"]);
    expect(byName.get("ADMIN_USER_PASSWORD_AUTH")).toEqual([
      "ADMIN_USER_PASSWORD_AUTH",
      "yes",
      "AdminInitiateAuth",
      "-",
    ]);
    expect(byName.get("USER_AUTH")).toEqual(["USER_AUTH", "yes", "InitiateAuth, AdminInitiateAuth", "yes"]);
    expect(byName.get("REFRESH_TOKEN")?.[2]).toBe("InitiateAuth, AdminInitiateAuth");
  });

  it("lists every ChallengeNameType, from the challenge registry and the hosted pages' forms", async () => {
    generated ??= await coverageMarkdown();
    const challenges = rows(generated, "challenge");
    expect(challenges.map((r) => r[0])).toEqual(enumOf("ChallengeNameType"));
    const byName = new Map(challenges.map((r) => [r[0], r]));
    expect(byName.get("WEB_AUTHN")).toEqual([
      "WEB_AUTHN",
      "yes",
      "RespondToAuthChallenge, AdminRespondToAuthChallenge",
      "yes",
    ]);
    // Device SRP is answered through the API only: the pages track no devices.
    expect(byName.get("DEVICE_SRP_AUTH")?.[3]).toBe("-");
    // ADMIN_NO_SRP_AUTH is a legacy flow name in the enum, never a challenge anyone answers.
    expect(byName.get("ADMIN_NO_SRP_AUTH")?.[1]).toBe("-");
  });
});
