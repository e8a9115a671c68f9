// What the pages show of branding: managed login (version 2) styles as a sheet, logos and
// favicons; classic (version 1) SetUICustomization CSS mapped onto the pages and its logo; and
// that nothing a caller stores can leave the page's <style> element (docs/decisions/0027).
import { afterEach, describe, expect, it } from "vitest";
import { type Hosted, hostedTwin } from "../../../test-support/hosted-fixtures.js";
import { solidPng } from "../../../test-support/png.js";

let h: Hosted;
afterEach(async () => h?.close());

const LOGO = solidPng(3, 3, [10, 200, 10]).toString("base64");

async function loginHtml(clientId?: string): Promise<string> {
  const url = clientId ? h.authorizeUrl({ client_id: clientId }) : h.authorizeUrl();
  const page = await h.browser().open(url);
  expect(page.status).toBe(200);
  return page.body;
}

/** The branding sheet: the page's second <style>. */
function brandingSheet(html: string): string | undefined {
  return [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)][1]?.[1];
}

const managedLogin = () =>
  h.api("UpdateUserPoolDomain", { UserPoolId: h.poolId, Domain: h.domain, ManagedLoginVersion: 2 });

describe("managed login branding on the version 2 pages", () => {
  it("turns the style's colours, radii, logos and favicon into the page's sheet and images", async () => {
    h = await hostedTwin();
    await managedLogin();
    await h.api("CreateManagedLoginBranding", {
      UserPoolId: h.poolId,
      ClientId: h.clientId,
      Settings: {
        categories: { global: { pageHeader: { enabled: true } } },
        components: {
          pageBackground: { lightMode: { color: "fde68aff" } },
          primaryButton: { lightMode: { defaults: { backgroundColor: "7c3aedff", textColor: "ffffffff" } } },
          form: { borderRadius: 20, logo: { enabled: true } },
          pageHeader: { logo: { enabled: true } },
        },
      },
      Assets: [
        { Category: "FORM_LOGO", ColorMode: "LIGHT", Extension: "PNG", Bytes: LOGO },
        { Category: "PAGE_HEADER_LOGO", ColorMode: "DYNAMIC", Extension: "PNG", Bytes: LOGO },
        {
          Category: "FAVICON_SVG",
          ColorMode: "LIGHT",
          Extension: "SVG",
          Bytes: Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>").toString("base64"),
        },
      ],
    });
    const html = await loginHtml();
    const sheet = brandingSheet(html)!;
    expect(sheet).toContain("body{background-color:#fde68aff");
    expect(sheet).toContain("button{background-color:#7c3aedff;color:#ffffffff}");
    expect(sheet).toContain("main{border-radius:20px");
    // Cognito's defaults fill in what the style leaves out.
    expect(sheet).toContain("h1{color:#000716ff}");
    expect(html).toContain(`<img class="form-logo" src="data:image/png;base64,${LOGO}" alt=""/>`);
    expect(html).toContain(`<header class="page-header"><img src="data:image/png;base64,${LOGO}" alt=""/></header>`);
    expect(html).toMatch(/<link rel="icon" type="image\/svg\+xml" href="data:image\/svg\+xml;base64,/);
  });

  it("draws DARK and DYNAMIC schemes from the dark values; a style with no client match changes nothing", async () => {
    h = await hostedTwin();
    await managedLogin();
    const unbranded = await loginHtml();
    expect(brandingSheet(unbranded)).toBeUndefined();
    const { ManagedLoginBranding } = (await h.api("CreateManagedLoginBranding", {
      UserPoolId: h.poolId,
      ClientId: h.clientId,
      Settings: { categories: { global: { colorSchemeMode: "DYNAMIC" } } },
    })) as { ManagedLoginBranding: { ManagedLoginBrandingId: string } };
    const dynamic = brandingSheet(await loginHtml())!;
    expect(dynamic).toContain("body{background-color:#ffffffff");
    expect(dynamic).toContain("@media (prefers-color-scheme:dark){body{background-color:#0f1b2aff");
    await h.api("UpdateManagedLoginBranding", {
      UserPoolId: h.poolId,
      ManagedLoginBrandingId: ManagedLoginBranding.ManagedLoginBrandingId,
      Settings: { categories: { global: { colorSchemeMode: "DARK" } } },
    });
    const dark = brandingSheet(await loginHtml())!;
    expect(dark).toContain("body{background-color:#0f1b2aff");
    expect(dark).not.toContain("@media");
  });

  it("the classic customisation does not apply to managed login, nor a style to the classic pages", async () => {
    h = await hostedTwin();
    await h.api("SetUICustomization", { UserPoolId: h.poolId, CSS: ".label-customizable{color:red}" });
    await h.api("CreateManagedLoginBranding", {
      UserPoolId: h.poolId,
      ClientId: h.clientId,
      UseCognitoProvidedValues: true,
    });
    const classic = brandingSheet(await loginHtml())!;
    expect(classic).toContain("\nlabel{color:red}");
    await managedLogin();
    const managed = brandingSheet(await loginHtml())!;
    expect(managed).not.toContain("label{color:red}");
    expect(managed).toContain("button{background-color:#0972d3ff");
  });
});

describe("classic UI customisation on the version 1 pages", () => {
  it("maps Cognito's classes onto the pages' elements and shows the logo in the banner", async () => {
    h = await hostedTwin();
    await h.api("SetUICustomization", {
      UserPoolId: h.poolId,
      CSS: [
        ".background-customizable { background-color: #fef3c7; }",
        ".submitButton-customizable { background-color: #b91c1c; font-size: 18px; }",
        ".submitButton-customizable:hover { background-color: #7f1d1d; }",
        ".label-customizable { color: #1e3a8a; unknown-property: 1px; }",
        ".inputField-customizable { border: 2px solid #1e3a8a; }",
        ".legalText-customizable { color: #333; }",
      ].join("\n"),
      ImageFile: LOGO,
    });
    const html = await loginHtml();
    const sheet = brandingSheet(html)!;
    expect(sheet).toContain("main{background-color:#fef3c7}");
    expect(sheet).toContain("button[type=submit]:not(.secondary){background-color:#b91c1c;font-size:18px}");
    expect(sheet).toContain("button[type=submit]:not(.secondary):hover{background-color:#7f1d1d}");
    // Properties Cognito does not reflect are dropped; a class with no element here keeps its name.
    expect(sheet).toContain("label{color:#1e3a8a}");
    expect(sheet).not.toContain("unknown-property");
    expect(sheet).toContain("input[type=text],input[type=password]");
    expect(sheet).toContain(".legalText-customizable{color:#333}");
    expect(html).toContain(
      `<div class="banner-customizable"><img class="logo-customizable" src="data:image/png;base64,${LOGO}" alt="logo"/></div>`,
    );
  });

  it("a client's customisation replaces ALL on that client's pages", async () => {
    h = await hostedTwin();
    await h.api("SetUICustomization", { UserPoolId: h.poolId, CSS: ".label-customizable{color:red}", ImageFile: LOGO });
    await h.api("SetUICustomization", {
      UserPoolId: h.poolId,
      ClientId: h.clientId,
      CSS: ".label-customizable{color:blue}",
    });
    const html = await loginHtml();
    expect(brandingSheet(html)).toMatch(/\nlabel\{color:blue\}$/);
    expect(html).not.toContain('<div class="banner-customizable">');
  });

  it("nothing stored can close the <style> element or inject markup", async () => {
    h = await hostedTwin();
    await h.api("SetUICustomization", {
      UserPoolId: h.poolId,
      CSS: '.label-customizable{color:"</style><img src=x onerror=alert(1)>"} .logo-customizable{max-width:50%}',
    });
    let html = await loginHtml();
    expect(html).not.toContain("</style><img");
    expect(brandingSheet(html)).toMatch(/\n\.logo-customizable\{max-width:50%\}$/);
    // Even a record written past the API's checks (an imported state file) stays inside.
    const pool = h.twin.services.store.getPool(h.poolId)!;
    h.twin.services.store.putPool({
      ...pool,
      uiCustomizations: {
        ALL: {
          css: ".label-customizable{color:red}</style><script>x</script>",
          cssVersion: "1",
          createdAt: 0,
          updatedAt: 0,
        },
      },
    });
    html = await loginHtml();
    expect(html).not.toContain("<script>x");
    expect(html.match(/<\/style>/g)).toHaveLength(2);
    expect(brandingSheet(html)).not.toContain("label");
  });

  it("the logo route answers 404 for another version or an unknown pool", async () => {
    h = await hostedTwin();
    const { UICustomization } = (await h.api("SetUICustomization", { UserPoolId: h.poolId, ImageFile: LOGO })) as {
      UICustomization: { ImageUrl: string };
    };
    const path = new URL(UICustomization.ImageUrl).pathname;
    expect((await h.twin.app.request(path)).status).toBe(200);
    expect((await h.twin.app.request(path.replace(/\/\d{14}\//, "/20000101000000/"))).status).toBe(404);
    expect((await h.twin.app.request(path.replace(h.poolId, "us-east-1_none"))).status).toBe(404);
    expect((await h.twin.app.request(path.replace(/image\.png$/, "image.jpg"))).status).toBe(404);
  });
});
