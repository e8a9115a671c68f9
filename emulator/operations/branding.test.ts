// Managed login branding and classic UI customisation through SDK v3: the five branding
// operations, SetUICustomization / GetUICustomization, their errors, and that both survive a
// restart (docs/decisions/0027).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateManagedLoginBrandingCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteManagedLoginBrandingCommand,
  DeleteUserPoolClientCommand,
  DescribeManagedLoginBrandingByClientCommand,
  DescribeManagedLoginBrandingCommand,
  GetUICustomizationCommand,
  SetUICustomizationCommand,
  UpdateManagedLoginBrandingCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { solidPng } from "../../test-support/png.js";
import { call, startTwin, type TestTwin } from "../../test-support/twin.js";
import { settingAt } from "../domain/branding.js";

let t: TestTwin;
beforeAll(async () => {
  t = await startTwin();
});
afterAll(() => t.close());

async function pool(domain = true): Promise<string> {
  const { UserPool } = await t.cognito.send(new CreateUserPoolCommand({ PoolName: "branding" }));
  const id = UserPool!.Id!;
  if (domain)
    await t.cognito.send(
      new CreateUserPoolDomainCommand({ UserPoolId: id, Domain: `brand-${id.split("_")[1]!.toLowerCase()}` }),
    );
  return id;
}

async function client(poolId: string): Promise<string> {
  const { UserPoolClient } = await t.cognito.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "web" }),
  );
  return UserPoolClient!.ClientId!;
}

async function expectError(promise: Promise<unknown>, name: string, message?: string | RegExp) {
  const err = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  expect(err, `expected ${name}, got success`).toBeDefined();
  expect(err!.name).toBe(name);
  expect(err!.$metadata?.httpStatusCode).toBe(400);
  if (typeof message === "string") expect(err!.message).toBe(message);
  else if (message) expect(err!.message).toMatch(message);
}

const LOGO = solidPng(4, 2, [200, 30, 30]);
const CSS = ".label-customizable {font-weight: 400;}\n.submitButton-customizable { background-color: #ff8800; }";
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("managed login branding", () => {
  it("creates a style with Settings and Assets, and both describes answer it", async () => {
    const poolId = await pool();
    const clientId = await client(poolId);
    const settings = {
      components: { primaryButton: { lightMode: { defaults: { backgroundColor: "ff0000ff" } } } },
      custom: { kept: ["as", "given"] },
    };
    const { ManagedLoginBranding: created } = await t.cognito.send(
      new CreateManagedLoginBrandingCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        Settings: settings,
        Assets: [{ Category: "FORM_LOGO", ColorMode: "LIGHT", Extension: "PNG", Bytes: LOGO }],
      }),
    );
    expect(created!.ManagedLoginBrandingId).toMatch(UUID4);
    expect(created!.UserPoolId).toBe(poolId);
    expect(created!.UseCognitoProvidedValues).toBe(false);
    expect(created!.Settings).toEqual(settings);
    expect(Buffer.from(created!.Assets![0]!.Bytes!)).toEqual(LOGO);
    expect(created!.CreationDate).toBeInstanceOf(Date);

    const byId = await t.cognito.send(
      new DescribeManagedLoginBrandingCommand({
        UserPoolId: poolId,
        ManagedLoginBrandingId: created!.ManagedLoginBrandingId!,
      }),
    );
    expect(byId.ManagedLoginBranding!.Settings).toEqual(settings);
    const byClient = await t.cognito.send(
      new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: poolId, ClientId: clientId }),
    );
    expect(byClient.ManagedLoginBranding!.ManagedLoginBrandingId).toBe(created!.ManagedLoginBrandingId);
  });

  it("ReturnMergedResources puts Cognito's defaults under the customised values", async () => {
    const poolId = await pool();
    const clientId = await client(poolId);
    await t.cognito.send(
      new CreateManagedLoginBrandingCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        Settings: { components: { pageBackground: { lightMode: { color: "123456ff" } } } },
      }),
    );
    const merged = await t.cognito.send(
      new DescribeManagedLoginBrandingByClientCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ReturnMergedResources: true,
      }),
    );
    const at = (path: string) => settingAt(merged.ManagedLoginBranding!.Settings, path);
    expect(at("components.pageBackground.lightMode.color")).toBe("123456ff");
    expect(at("components.pageBackground.darkMode.color")).toBe("0f1b2aff");
    expect(at("components.primaryButton.lightMode.defaults.backgroundColor")).toBe("0972d3ff");
    expect(at("categories.global.colorSchemeMode")).toBe("LIGHT");
  });

  it("UseCognitoProvidedValues stores no values; with Settings or Assets it is refused", async () => {
    const poolId = await pool();
    const clientId = await client(poolId);
    await expectError(
      t.cognito.send(
        new CreateManagedLoginBrandingCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          UseCognitoProvidedValues: true,
          Settings: {},
        }),
      ),
      "InvalidParameterException",
      "Settings and Assets must be omitted when UseCognitoProvidedValues is true.",
    );
    const { ManagedLoginBranding } = await t.cognito.send(
      new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, UseCognitoProvidedValues: true }),
    );
    expect(ManagedLoginBranding!.UseCognitoProvidedValues).toBe(true);
    expect(ManagedLoginBranding!.Settings).toEqual({});
    expect(ManagedLoginBranding!.Assets).toEqual([]);
  });

  it("one style per client; the client and the pool must exist", async () => {
    const poolId = await pool();
    const clientId = await client(poolId);
    await t.cognito.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId }));
    await expectError(
      t.cognito.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId })),
      "ManagedLoginBrandingExistsException",
    );
    await expectError(
      t.cognito.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: "nosuchclient123" })),
      "ResourceNotFoundException",
      "User pool client nosuchclient123 does not exist.",
    );
    await expectError(
      t.cognito.send(new CreateManagedLoginBrandingCommand({ UserPoolId: "us-east-1_nothere", ClientId: clientId })),
      "ResourceNotFoundException",
      "User pool us-east-1_nothere does not exist.",
    );
  });

  it("refuses Settings that are not an object, reflected keys of the wrong form, and bad assets", async () => {
    const poolId = await pool();
    const clientId = await client(poolId);
    const create = (input: Record<string, unknown>) =>
      t.cognito.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, ...input }));
    await expectError(create({ Settings: [1, 2] }), "InvalidParameterException", /Settings must be a JSON object/);
    await expectError(
      create({ Settings: { components: { pageBackground: { lightMode: { color: "red" } } } } }),
      "InvalidParameterException",
      /components\.pageBackground\.lightMode\.color must be a colour of 8 hex digits/,
    );
    await expectError(
      create({ Assets: [{ Category: "FORM_LOGO", ColorMode: "LIGHT", Extension: "JPEG", Bytes: LOGO }] }),
      "InvalidParameterException",
      "Invalid asset: the Bytes of FORM_LOGO are not a JPEG image.",
    );
    await expectError(
      create({ Assets: [{ Category: "FAVICON_ICO", ColorMode: "LIGHT", Extension: "PNG", Bytes: LOGO }] }),
      "InvalidParameterException",
      "Invalid asset: FAVICON_ICO cannot be PNG.",
    );
    await expectError(
      create({
        Assets: [
          { Category: "FORM_LOGO", ColorMode: "LIGHT", Extension: "PNG", Bytes: LOGO },
          { Category: "FORM_LOGO", ColorMode: "LIGHT", Extension: "PNG", Bytes: LOGO },
        ],
      }),
      "InvalidParameterException",
      "Invalid asset: more than one asset for FORM_LOGO in LIGHT mode.",
    );
    await expectError(
      create({ Assets: [{ Category: "FORM_LOGO", ColorMode: "LIGHT", Extension: "PNG" }] }),
      "InvalidParameterException",
      "Invalid asset: FORM_LOGO has no Bytes.",
    );
  });

  it("UpdateManagedLoginBranding keeps what it is not given; UseCognitoProvidedValues resets", async () => {
    const poolId = await pool();
    const clientId = await client(poolId);
    const { ManagedLoginBranding: created } = await t.cognito.send(
      new CreateManagedLoginBrandingCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        Settings: { components: { form: { borderRadius: 2 }, pageBackground: { lightMode: { color: "111111ff" } } } },
        Assets: [{ Category: "FORM_LOGO", ColorMode: "LIGHT", Extension: "PNG", Bytes: LOGO }],
      }),
    );
    const id = created!.ManagedLoginBrandingId!;
    const other = solidPng(2, 2, [0, 0, 255]);
    const { ManagedLoginBranding: updated } = await t.cognito.send(
      new UpdateManagedLoginBrandingCommand({
        UserPoolId: poolId,
        ManagedLoginBrandingId: id,
        Settings: { components: { pageBackground: { lightMode: { color: "222222ff" } } } },
        Assets: [{ Category: "PAGE_BACKGROUND", ColorMode: "LIGHT", Extension: "PNG", Bytes: other }],
      }),
    );
    expect(updated!.Settings).toEqual({
      components: { form: { borderRadius: 2 }, pageBackground: { lightMode: { color: "222222ff" } } },
    });
    expect(updated!.Assets!.map((a) => a.Category)).toEqual(["FORM_LOGO", "PAGE_BACKGROUND"]);
    const { ManagedLoginBranding: reset } = await t.cognito.send(
      new UpdateManagedLoginBrandingCommand({
        UserPoolId: poolId,
        ManagedLoginBrandingId: id,
        UseCognitoProvidedValues: true,
      }),
    );
    expect(reset!.UseCognitoProvidedValues).toBe(true);
    expect(reset!.Settings).toEqual({});
    expect(reset!.CreationDate).toEqual(created!.CreationDate);
    await expectError(
      t.cognito.send(new UpdateManagedLoginBrandingCommand({ ManagedLoginBrandingId: id })),
      "InvalidParameterException",
      "Missing required parameter UserPoolId",
    );
  });

  it("DeleteManagedLoginBranding removes the style; unknown ids are ResourceNotFoundException", async () => {
    const poolId = await pool();
    const clientId = await client(poolId);
    const { ManagedLoginBranding } = await t.cognito.send(
      new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId }),
    );
    const id = ManagedLoginBranding!.ManagedLoginBrandingId!;
    await t.cognito.send(new DeleteManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id }));
    await expectError(
      t.cognito.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id })),
      "ResourceNotFoundException",
      "Managed login branding does not exist.",
    );
    await expectError(
      t.cognito.send(new DeleteManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id })),
      "ResourceNotFoundException",
    );
    await expectError(
      t.cognito.send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: poolId, ClientId: clientId })),
      "ResourceNotFoundException",
    );
    // A new style can be made for the client again.
    await t.cognito.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId }));
  });

  it("deleting the app client deletes its style and its classic customisation", async () => {
    const poolId = await pool();
    const clientId = await client(poolId);
    const { ManagedLoginBranding } = await t.cognito.send(
      new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId }),
    );
    await t.cognito.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId, CSS: "" }));
    await t.cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    await expectError(
      t.cognito.send(
        new DescribeManagedLoginBrandingCommand({
          UserPoolId: poolId,
          ManagedLoginBrandingId: ManagedLoginBranding!.ManagedLoginBrandingId!,
        }),
      ),
      "ResourceNotFoundException",
    );
    expect(t.twin.services.store.getPool(poolId)!.uiCustomizations).toBeUndefined();
  });
});

describe("classic UI customisation", () => {
  it("sets CSS and a logo for ALL; GetUICustomization answers them with an ImageUrl that serves the logo", async () => {
    const poolId = await pool();
    const { UICustomization: set } = await t.cognito.send(
      new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: "ALL", CSS, ImageFile: LOGO }),
    );
    expect(set).toMatchObject({ UserPoolId: poolId, ClientId: "ALL", CSS });
    expect(set!.CSSVersion).toMatch(/^\d{14}$/);
    expect(set!.ImageUrl).toMatch(new RegExp(`/_ui-assets/${poolId}/ALL/\\d{14}/assets/images/image\\.png$`));
    const image = await fetch(set!.ImageUrl!);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await image.arrayBuffer())).toEqual(LOGO);
    const { UICustomization: got } = await t.cognito.send(new GetUICustomizationCommand({ UserPoolId: poolId }));
    expect(got).toEqual(set);
  });

  it("a client's own customisation replaces ALL for that client only", async () => {
    const poolId = await pool();
    const a = await client(poolId);
    const b = await client(poolId);
    await t.cognito.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS, ImageFile: LOGO }));
    await t.cognito.send(
      new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: a, CSS: ".logo-customizable{max-width:50%}" }),
    );
    const own = await t.cognito.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: a }));
    expect(own.UICustomization).toMatchObject({ ClientId: a, CSS: ".logo-customizable{max-width:50%}" });
    expect(own.UICustomization!.ImageUrl).toBeUndefined();
    const fallback = await t.cognito.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: b }));
    expect(fallback.UICustomization).toMatchObject({ ClientId: "ALL", CSS });
  });

  it("with nothing set, GetUICustomization answers an empty customisation", async () => {
    const poolId = await pool();
    const { UICustomization } = await t.cognito.send(new GetUICustomizationCommand({ UserPoolId: poolId }));
    expect(UICustomization).toEqual({ UserPoolId: poolId, ClientId: "ALL" });
  });

  it("refuses classes Cognito lacks, at-rules, script, images that are not PNG or JPEG, and pools without a domain", async () => {
    const poolId = await pool();
    const set = (input: Record<string, unknown>) =>
      t.cognito.send(new SetUICustomizationCommand({ UserPoolId: poolId, ...input }));
    await expectError(
      set({ CSS: ".hacker-customizable{color:red}" }),
      "InvalidParameterException",
      "Invalid CSS: .hacker-customizable is not one of the customizable classes.",
    );
    await expectError(set({ CSS: "body{color:red}" }), "InvalidParameterException", /body is not one of/);
    await expectError(
      set({ CSS: "@import url(x.css); .label-customizable{color:red}" }),
      "InvalidParameterException",
      /@import, @supports, @page and @media are not allowed/,
    );
    await expectError(
      set({ CSS: ".label-customizable{background:url(javascript:alert(1))}" }),
      "InvalidParameterException",
      "Invalid CSS: JavaScript is not allowed.",
    );
    await expectError(
      set({ ImageFile: Buffer.from("GIF89a....") }),
      "InvalidParameterException",
      "ImageFile must be a PNG or JPEG image.",
    );
    await expectError(
      set({ ClientId: "nosuchclient123", CSS: "" }),
      "ResourceNotFoundException",
      "User pool client nosuchclient123 does not exist.",
    );
    const bare = await pool(false);
    await expectError(
      t.cognito.send(new SetUICustomizationCommand({ UserPoolId: bare, CSS })),
      "InvalidParameterException",
      "Cannot perform specific action because there does not exist a valid use pool domain associated with the user pool",
    );
  });
});

describe("bad input", () => {
  it("odd documents, assets and CSS answer 4xx, never 5xx", async () => {
    const poolId = await pool();
    const clientId = await client(poolId);
    let deep: unknown = "x";
    for (let i = 0; i < 200; i++) deep = { components: deep, [`k${i}`]: [i] };
    const cases: [string, Record<string, unknown>][] = [
      ["CreateManagedLoginBranding", { UserPoolId: poolId, ClientId: clientId, Settings: "text" }],
      ["CreateManagedLoginBranding", { UserPoolId: poolId, ClientId: clientId, Settings: { components: [] } }],
      [
        "CreateManagedLoginBranding",
        { UserPoolId: poolId, ClientId: clientId, Settings: { components: { form: { borderRadius: "9" } } } },
      ],
      [
        "CreateManagedLoginBranding",
        {
          UserPoolId: poolId,
          ClientId: clientId,
          Assets: [{ Category: "FORM_LOGO", ColorMode: "LIGHT", Extension: "PNG", Bytes: "!!!not base64!!!" }],
        },
      ],
      ["CreateManagedLoginBranding", { UserPoolId: poolId, ClientId: clientId, Assets: [null] }],
      ["UpdateManagedLoginBranding", { UserPoolId: poolId, ManagedLoginBrandingId: "constructor" }],
      ["DescribeManagedLoginBranding", { UserPoolId: poolId, ManagedLoginBrandingId: "__proto__" }],
      ["SetUICustomization", { UserPoolId: poolId, CSS: "}}}{{{" }],
      ["SetUICustomization", { UserPoolId: poolId, CSS: "/*" }],
      ["SetUICustomization", { UserPoolId: poolId, ClientId: "constructor" }],
      ["SetUICustomization", { UserPoolId: poolId, ImageFile: "%%%" }],
      ["GetUICustomization", { UserPoolId: poolId, ClientId: "__proto__" }],
    ];
    for (const [op, input] of cases) {
      // A fresh client each time: a style made by a case would turn the next into "exists".
      if (input.ClientId === clientId) input.ClientId = await client(poolId);
      const res = await call(t.twin, op, input);
      expect(res.status, `${op} ${JSON.stringify(input).slice(0, 120)}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    // A deep document is stored as it is (Cognito keeps the document) and merges without trouble.
    const res = await call(t.twin, "CreateManagedLoginBranding", {
      UserPoolId: poolId,
      ClientId: clientId,
      Settings: deep,
    });
    expect(res.status).toBeLessThan(500);
    const merged = await call(t.twin, "DescribeManagedLoginBrandingByClient", {
      UserPoolId: poolId,
      ClientId: clientId,
      ReturnMergedResources: true,
    });
    expect(merged.status).toBeLessThan(500);
  });
});

describe("persistence", () => {
  it("styles and customisations survive a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "twin-branding-"));
    try {
      let p = await startTwin({ dataDir: dir });
      const { UserPool } = await p.cognito.send(new CreateUserPoolCommand({ PoolName: "kept" }));
      const poolId = UserPool!.Id!;
      await p.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: "kept-branding-x" }));
      const { UserPoolClient } = await p.cognito.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "web" }),
      );
      const clientId = UserPoolClient!.ClientId!;
      const { ManagedLoginBranding } = await p.cognito.send(
        new CreateManagedLoginBrandingCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          Settings: { a: { b: 1 } },
          Assets: [{ Category: "FORM_LOGO", ColorMode: "DARK", Extension: "PNG", Bytes: LOGO }],
        }),
      );
      await p.cognito.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS, ImageFile: LOGO }));
      await p.close();
      p = await startTwin({ dataDir: dir });
      const again = await p.cognito.send(
        new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: poolId, ClientId: clientId }),
      );
      expect(again.ManagedLoginBranding!.ManagedLoginBrandingId).toBe(ManagedLoginBranding!.ManagedLoginBrandingId);
      expect(again.ManagedLoginBranding!.Settings).toEqual({ a: { b: 1 } });
      expect(Buffer.from(again.ManagedLoginBranding!.Assets![0]!.Bytes!)).toEqual(LOGO);
      const ui = await p.cognito.send(new GetUICustomizationCommand({ UserPoolId: poolId }));
      expect(ui.UICustomization!.CSS).toBe(CSS);
      expect(ui.UICustomization!.ImageUrl).toBeDefined();
      await p.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
