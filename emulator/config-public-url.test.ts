// --public-url / COGNITO_TWIN_PUBLIC_URL: how a container or a proxy tells a local issuer the
// address its clients use (the container tests cover it end to end).
import { describe, expect, it } from "vitest";
import { ConfigError, readConfig, USAGE } from "./config.js";

function publicUrl(argv: string[], env: Record<string, string> = {}): string | undefined {
  const config = readConfig(argv, env);
  if (config === "help") throw new Error("unexpected help");
  return config.publicUrl;
}

describe("public URL setting", () => {
  it("is read from the flag or the environment, the flag winning, and is documented", () => {
    expect(publicUrl([])).toBeUndefined();
    expect(publicUrl(["--public-url", "http://localhost:32768"])).toBe("http://localhost:32768");
    expect(publicUrl([], { COGNITO_TWIN_PUBLIC_URL: "https://cognito.test:8443" })).toBe("https://cognito.test:8443");
    expect(publicUrl(["--public-url", "http://a:1"], { COGNITO_TWIN_PUBLIC_URL: "http://b:2" })).toBe("http://a:1");
    expect(publicUrl([], { COGNITO_TWIN_PUBLIC_URL: "" })).toBeUndefined();
    expect(USAGE).toContain("--public-url URL");
    expect(USAGE).toContain("COGNITO_TWIN_PUBLIC_URL");
  });

  it("drops trailing slashes, since issuers are built as <public URL>/<poolId>", () => {
    expect(publicUrl(["--public-url", "http://cognito:9229/"])).toBe("http://cognito:9229");
    expect(publicUrl(["--public-url", "http://proxy.test/twin//"])).toBe("http://proxy.test/twin");
  });

  it("refuses what is not an http or https URL", () => {
    expect(() => readConfig(["--public-url", "localhost:9229x"], {})).toThrow(ConfigError);
    expect(() => readConfig(["--public-url", "not a url"], {})).toThrow(
      'public URL "not a url" is not a URL (like http://localhost:9229)',
    );
    expect(() => readConfig([], { COGNITO_TWIN_PUBLIC_URL: "ftp://files.test" })).toThrow(
      'public URL must be http or https, not "ftp:"',
    );
  });
});
