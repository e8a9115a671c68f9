// Branding in a real browser: headless Chromium (test-support/chromium.ts) against a listening
// emulator. A managed login style (version 2) paints the page's background and the primary
// button and shows its form logo; classic CSS (version 1) restyles the submit button and labels
// and shows the logo from SetUICustomization. The colours are read back as the browser computed
// them, the logo's natural size proves the image decoded. Screenshots go to test-results/pages/.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import {
  CreateManagedLoginBrandingCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  SetUICustomizationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChromiumUnlessLocal, useChromium } from "../../../test-support/chromium.js";
import { solidPng } from "../../../test-support/png.js";
import { startTwin, type TestTwin } from "../../../test-support/twin.js";

const SUITE = "emulator/http/hosted/branding-browser.test.ts";
const runs = requireChromiumUnlessLocal(SUITE);
const CALLBACK = "https://app.example.com/callback";
const PAGES_DIR = process.env.HOSTED_SCREENSHOTS_DIR ?? join(process.cwd(), "test-results", "pages");

describe.skipIf(!runs)("branding in Chromium", () => {
  let t: TestTwin;
  const chromium = useChromium(SUITE, { pagesDir: PAGES_DIR });

  beforeAll(async () => {
    t = await startTwin();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A pool with a domain of `version` and a hosted-UI client: the login page's URL. */
  async function site(version: 1 | 2): Promise<{ poolId: string; clientId: string; loginUrl: string }> {
    const pool = await t.cognito.send(new CreateUserPoolCommand({ PoolName: `Branded-${version}` }));
    const poolId = pool.UserPool!.Id!;
    const prefix = `brand-${randomBytes(3).toString("hex")}`;
    await t.cognito.send(
      new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix, ManagedLoginVersion: version }),
    );
    const client = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "branded",
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["code"],
        AllowedOAuthScopes: ["openid"],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ["COGNITO"],
      }),
    );
    const clientId = client.UserPoolClient!.ClientId!;
    const query = new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: CALLBACK });
    return { poolId, clientId, loginUrl: `${t.url}/_domain/${prefix}/login?${query}` };
  }

  /** What the browser computed for the page's background, the submit button and the logo. */
  async function looks(page: Page, logoSelector: string) {
    return (await page.evaluate(`(() => {
      const button = document.querySelector("button[type=submit]");
      const logo = document.querySelector(${JSON.stringify(logoSelector)});
      const label = document.querySelector("label");
      return {
        body: getComputedStyle(document.body).backgroundColor,
        main: getComputedStyle(document.querySelector("main")).backgroundColor,
        button: getComputedStyle(button).backgroundColor,
        buttonText: getComputedStyle(button).color,
        label: getComputedStyle(label).color,
        logo: logo ? { width: logo.naturalWidth, height: logo.naturalHeight, complete: logo.complete } : null,
      };
    })()`)) as {
      body: string;
      main: string;
      button: string;
      buttonText: string;
      label: string;
      logo: { width: number; height: number; complete: boolean } | null;
    };
  }

  it("a managed login style paints the background and the primary button and shows the form logo", async () => {
    const { poolId, clientId, loginUrl } = await site(2);
    await t.cognito.send(
      new CreateManagedLoginBrandingCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        Settings: {
          components: {
            pageBackground: { lightMode: { color: "fde68aff" } },
            primaryButton: { lightMode: { defaults: { backgroundColor: "7c3aedff", textColor: "ffffffff" } } },
            form: { logo: { enabled: true }, borderRadius: 16 },
          },
        },
        Assets: [
          { Category: "FORM_LOGO", ColorMode: "LIGHT", Extension: "PNG", Bytes: solidPng(120, 40, [220, 38, 38]) },
        ],
      }),
    );
    const page = await chromium.newPage({ width: 900, height: 700 });
    await page.goto(loginUrl);
    const seen = await looks(page, "img.form-logo");
    expect(seen.body).toBe("rgb(253, 230, 138)");
    expect(seen.button).toBe("rgb(124, 58, 237)");
    expect(seen.buttonText).toBe("rgb(255, 255, 255)");
    expect(seen.logo).toEqual({ width: 120, height: 40, complete: true });
    await chromium.keep(page, "branding-managed-login");
  });

  it("classic CSS restyles the submit button and labels, and the classic logo shows in the banner", async () => {
    const { poolId, loginUrl } = await site(1);
    await t.cognito.send(
      new SetUICustomizationCommand({
        UserPoolId: poolId,
        ClientId: "ALL",
        CSS: [
          ".background-customizable { background-color: #ecfeff; }",
          ".banner-customizable { padding: 10px 0 10px 0; background-color: #164e63; }",
          ".submitButton-customizable { background-color: #ea580c; color: #000000; }",
          ".label-customizable { color: #166534; }",
        ].join("\n"),
        ImageFile: solidPng(90, 30, [250, 204, 21]),
      }),
    );
    const page = await chromium.newPage({ width: 900, height: 700 });
    await page.goto(loginUrl);
    const seen = await looks(page, "img.logo-customizable");
    expect(seen.main).toBe("rgb(236, 254, 255)");
    expect(seen.button).toBe("rgb(234, 88, 12)");
    expect(seen.buttonText).toBe("rgb(0, 0, 0)");
    expect(seen.label).toBe("rgb(22, 101, 52)");
    expect(seen.logo).toEqual({ width: 90, height: 30, complete: true });
    await chromium.keep(page, "branding-classic");
  });
});
