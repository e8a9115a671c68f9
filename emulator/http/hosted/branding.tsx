/** @jsxImportSource hono/jsx */
// What a page shows of its app client's branding. Managed login (the domain's version 2): the
// client's branding style (CreateManagedLoginBranding), its colours, radii, logos, background
// image and favicon turned into a style sheet and images. The classic hosted UI (version 1): the
// client's, else the pool's (ALL), SetUICustomization CSS over Cognito's `-customizable` classes
// (pages.tsx puts them on its elements) and its logo in the banner. docs/decisions/0027.
//
// Everything here is safe inside the page by construction: colours are 8 hex digits, radii
// numbers, images base64 in data: URIs (the pages' CSP allows img-src data:), and the classic
// sheet is rebuilt from its checked rules with values that cannot leave their declaration; a
// `<` could still never close the <style> element, as every one is escaped on the way out.
import type { Context, Hono } from "hono";
import { raw } from "hono/html";
import type { FC } from "hono/jsx";
import type { Services } from "../../context.js";
import {
  assetFor,
  brandingOfClient,
  effectiveSettings,
  type Scheme,
  type StoredBranding,
  settingAt,
} from "../../domain/branding.js";
import {
  classicStyleSheet,
  effectiveUICustomization,
  uiCustomizationOf,
  uiImagePath,
} from "../../domain/ui-customization.js";
import type { Site } from "./site.js";

/** The pages' text inputs (pages.tsx styles the same list). */
const INPUTS_LIST = ["text", "password", "email", "tel", "date"].map((t) => `input[type=${t}]`);
const INPUTS = INPUTS_LIST.join(",");

/** What the layout adds to a page for its client's branding. */
export interface PageBranding {
  /** The style sheet, after the pages' own. */
  readonly css: string;
  readonly favicons: readonly { readonly type: string; readonly href: string }[];
  /** Managed login's FORM_LOGO, or the classic logo: a data: URI. */
  readonly formLogo?: string | undefined;
  /** Managed login's PAGE_HEADER_LOGO, in a header above the form. */
  readonly headerLogo?: string | undefined;
  /** The classic hosted UI: its logo sits in `.banner-customizable`. */
  readonly classic: boolean;
}

const MIME: Readonly<Record<string, string>> = {
  PNG: "image/png",
  JPEG: "image/jpeg",
  SVG: "image/svg+xml",
  WEBP: "image/webp",
  ICO: "image/x-icon",
};

const dataUri = (extension: string, base64: string) =>
  `data:${MIME[extension] ?? "application/octet-stream"};base64,${base64}`;

/** The branding of the pages a client's sign-in shows on this site, if the client has any. */
export function brandingFor(site: Site, clientId: string | undefined): PageBranding | undefined {
  if (clientId === undefined) {
    // No client known (an error page without client_id): only the classic pool-wide customisation applies.
    return site.domain.managedLoginVersion === 2 ? undefined : classicBranding(site, undefined);
  }
  if (site.domain.managedLoginVersion === 2) {
    const style = brandingOfClient(site.pool, clientId);
    return style ? managedBranding(style) : undefined;
  }
  return classicBranding(site, clientId);
}

function classicBranding(site: Site, clientId: string | undefined): PageBranding | undefined {
  const found = effectiveUICustomization(site.pool, clientId);
  if (!found) return undefined;
  const { record } = found;
  return {
    // The banner as Cognito lays it out (the logo centred above the fields), then the caller's CSS.
    css: escapeStyle(`${CLASSIC_BASE}\n${classicStyleSheet(record.css ?? "", classicSelector)}`.trim()),
    favicons: [],
    formLogo: record.image ? dataUri(record.image.type === "png" ? "PNG" : "JPEG", record.image.bytes) : undefined,
    classic: true,
  };
}

/**
 * Where each of Cognito's classic classes lands on these pages: the element that plays its part.
 * Classes with no such element here (legal text, social buttons, the live password check) keep
 * their own name and so style nothing.
 */
const CLASSIC_SELECTORS: Readonly<Record<string, string>> = {
  ".background-customizable": "main",
  ".label-customizable": "label",
  ".inputField-customizable": INPUTS_LIST.join(","),
  ".inputField-customizable:focus": INPUTS_LIST.map((s) => `${s}:focus`).join(","),
  ".submitButton-customizable": "button[type=submit]:not(.secondary)",
  ".submitButton-customizable:hover": "button[type=submit]:not(.secondary):hover",
  ".errorMessage-customizable": ".error",
  ".textDescription-customizable": "main>p:not([class])",
  ".idpButton-customizable": ".provider",
  ".idpButton-customizable:hover": ".provider:hover",
  ".idpDescription-customizable": ".or",
  ".redirect-customizable": ".links",
};

/** The classic banner and logo before any CSS: Cognito's template's sizes. */
const CLASSIC_BASE =
  ".banner-customizable{text-align:center;margin:0 0 1rem;padding:25px 0}.logo-customizable{max-width:60%;max-height:30%}";

function classicSelector(cognitoClass: string): string {
  return CLASSIC_SELECTORS[cognitoClass] ?? cognitoClass;
}

const COLOUR = /^[0-9a-fA-F]{8}$/;

/** The managed login style's sheet and images, for its colour scheme. */
function managedBranding(style: StoredBranding): PageBranding {
  const doc = effectiveSettings(style);
  const scheme = (settingAt(doc, "categories.global.colorSchemeMode") as Scheme | undefined) ?? "LIGHT";
  const primary: "LIGHT" | "DARK" = scheme === "DARK" ? "DARK" : "LIGHT";
  const radius = (path: string) => {
    const v = settingAt(doc, path);
    return typeof v === "number" && Number.isFinite(v) ? `${Math.max(0, Math.min(100, v))}px` : undefined;
  };
  const shared = rules([
    ["main", { "border-radius": radius("components.form.borderRadius"), border: "1px solid transparent" }],
    ["button", { "border-radius": radius("componentClasses.buttons.borderRadius") }],
    [INPUTS, { "border-radius": radius("componentClasses.input.borderRadius") }],
    [".form-logo", { display: "block", margin: "0 auto 1rem", "max-width": "100%", "max-height": "8rem" }],
    [".page-header", { padding: ".75rem 1.5rem" }],
    [".page-header img", { "max-height": "3rem" }],
  ]);
  const sheet = [shared, modeRules(doc, style, primary)];
  if (scheme === "DYNAMIC") sheet.push(`@media (prefers-color-scheme:dark){${modeRules(doc, style, "DARK")}}`);
  const logo = (category: string) => {
    const a = assetFor(style, category, primary);
    return a?.Bytes ? dataUri(a.Extension, a.Bytes) : undefined;
  };
  const faviconTypes = settingAt(doc, "components.favicon.enabledTypes");
  const favicons = (["ICO", "SVG"] as const).flatMap((ext) => {
    const a = assetFor(style, `FAVICON_${ext}`, primary);
    if (!a?.Bytes || !Array.isArray(faviconTypes) || !faviconTypes.includes(ext)) return [];
    return [{ type: MIME[ext]!, href: dataUri(ext, a.Bytes) }];
  });
  const headerShown =
    settingAt(doc, "categories.global.pageHeader.enabled") !== false &&
    settingAt(doc, "components.pageHeader.logo.enabled") === true;
  return {
    css: escapeStyle(sheet.join("\n")),
    favicons,
    formLogo: settingAt(doc, "components.form.logo.enabled") === true ? logo("FORM_LOGO") : undefined,
    headerLogo: headerShown ? logo("PAGE_HEADER_LOGO") : undefined,
    classic: false,
  };
}

/** One mode's colours (and background image) as rules over the pages' elements. */
function modeRules(doc: unknown, style: StoredBranding, mode: "LIGHT" | "DARK"): string {
  const m = mode === "DARK" ? "darkMode" : "lightMode";
  const colour = (path: string) => {
    const v = settingAt(doc, path.replace("{m}", m));
    return typeof v === "string" && COLOUR.test(v) ? `#${v.toLowerCase()}` : undefined;
  };
  const background = assetFor(style, "PAGE_BACKGROUND", mode);
  const image =
    background?.Bytes && settingAt(doc, "components.pageBackground.image.enabled") !== false
      ? `url("${dataUri(background.Extension, background.Bytes)}")`
      : undefined;
  return rules([
    [
      "body",
      {
        "background-color": colour("components.pageBackground.{m}.color"),
        color: colour("components.pageText.{m}.bodyColor"),
        "background-image": image,
        "background-size": image ? "cover" : undefined,
        "background-position": image ? "center" : undefined,
      },
    ],
    [
      "main",
      {
        "background-color": colour("components.form.{m}.backgroundColor"),
        "border-color": colour("components.form.{m}.borderColor"),
      },
    ],
    ["h1", { color: colour("components.pageText.{m}.headingColor") }],
    [".pool", { color: colour("components.pageText.{m}.descriptionColor") }],
    ["label", { color: colour("componentClasses.inputLabel.{m}.textColor") }],
    [
      INPUTS,
      {
        "background-color": colour("componentClasses.input.{m}.defaults.backgroundColor"),
        "border-color": colour("componentClasses.input.{m}.defaults.borderColor"),
      },
    ],
    [
      "button",
      {
        "background-color": colour("components.primaryButton.{m}.defaults.backgroundColor"),
        color: colour("components.primaryButton.{m}.defaults.textColor"),
      },
    ],
    [
      "button:hover",
      {
        "background-color": colour("components.primaryButton.{m}.hover.backgroundColor"),
        color: colour("components.primaryButton.{m}.hover.textColor"),
      },
    ],
    [
      "button.secondary,.provider",
      {
        "background-color": colour("components.secondaryButton.{m}.defaults.backgroundColor"),
        "border-color": colour("components.secondaryButton.{m}.defaults.borderColor"),
        color: colour("components.secondaryButton.{m}.defaults.textColor"),
      },
    ],
    [
      "button.secondary:hover,.provider:hover",
      {
        "background-color": colour("components.secondaryButton.{m}.hover.backgroundColor"),
        "border-color": colour("components.secondaryButton.{m}.hover.borderColor"),
        color: colour("components.secondaryButton.{m}.hover.textColor"),
      },
    ],
    [".links a", { color: colour("componentClasses.link.{m}.defaults.textColor") }],
    [".links a:hover", { color: colour("componentClasses.link.{m}.hover.textColor") }],
    [".page-header", { "background-color": colour("components.pageHeader.{m}.background.color") }],
  ]);
}

/** Rules from selector and declarations, leaving out the declarations with no value. */
function rules(list: readonly [string, Record<string, string | undefined>][]): string {
  return list
    .map(([selector, decls]) => {
      const body = Object.entries(decls)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}:${v}`)
        .join(";");
      return body ? `${selector}{${body}}` : "";
    })
    .filter((r) => r !== "")
    .join("");
}

/** CSS that cannot end its <style> element: every `<` as CSS's own escape. */
function escapeStyle(css: string): string {
  return css.replace(/</g, "\\3c ");
}

/** The head's part: the sheet (after the pages' own, so it wins) and the favicons. */
export const BrandingHead: FC<{ branding?: PageBranding | undefined }> = ({ branding }) =>
  branding ? (
    <>
      {branding.css ? <style>{raw(branding.css)}</style> : null}
      {branding.favicons.map((f) => (
        <link rel="icon" type={f.type} href={f.href} />
      ))}
    </>
  ) : null;

/** Above the form: managed login's page header with its logo. */
export const BrandingHeader: FC<{ branding?: PageBranding | undefined }> = ({ branding }) =>
  branding?.headerLogo ? (
    <header class="page-header">
      <img src={branding.headerLogo} alt="" />
    </header>
  ) : null;

/** At the top of the form: the classic banner with its logo, or managed login's form logo. */
export const BrandingLogo: FC<{ branding?: PageBranding | undefined }> = ({ branding }) => {
  if (!branding?.formLogo) return null;
  return branding.classic ? (
    <div class="banner-customizable">
      <img class="logo-customizable" src={branding.formLogo} alt="logo" />
    </div>
  ) : (
    <img class="form-logo" src={branding.formLogo} alt="" />
  );
};

/**
 * GET /_ui-assets/<pool>/<client or ALL>/<CSSVersion>/assets/images/image.<png|jpg>: the classic
 * logo, where GetUICustomization's ImageUrl points (Cognito's is a CloudFront URL of this shape).
 */
export function uiAssetRoutes(app: Hono, services: Services): void {
  app.get("/_ui-assets/:pool/:client/:version/assets/images/:file", (c: Context) => {
    const pool = services.store.getPool(c.req.param("pool") ?? "");
    const key = c.req.param("client") ?? "";
    const record = pool ? uiCustomizationOf(pool, key) : undefined;
    const path = pool && record ? uiImagePath(pool.id, key, record) : undefined;
    const asked = new URL(c.req.url).pathname;
    if (!record?.image || path !== asked) return c.json({ message: "No such image." }, 404);
    c.header("Content-Type", record.image.type === "png" ? "image/png" : "image/jpeg");
    c.header("Cache-Control", "public, max-age=31536000, immutable");
    c.header("X-Content-Type-Options", "nosniff");
    return c.body(Buffer.from(record.image.bytes, "base64"));
  });
}
