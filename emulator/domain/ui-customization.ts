// Classic hosted UI customisation (SetUICustomization / GetUICustomization): CSS over Cognito's
// fixed set of classes and a logo, for one app client or for `ALL` (the pool's default, which a
// client's own customisation replaces entirely). Kept on the pool (PoolRecord.uiCustomizations)
// and reflected in the version 1 pages (http/hosted/branding.tsx). docs/decisions/0027.
import type { UICustomizationType } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import type { DeepReadonly, StoredPool, UICustomizationRecord } from "../store/types.js";
import { sniffImage } from "./branding.js";

/** A customisation as its pool's record holds it. */
export type StoredUICustomization = DeepReadonly<UICustomizationRecord>;

/** The key of the pool-wide customisation. */
export const ALL_CLIENTS = "ALL";

/**
 * Cognito's classes (the developer guide, "Customizing hosted UI (classic) branding") and, for
 * each, the properties the classic pages take from it; Cognito accepts others but does not
 * reflect them ("Added CSS keys will not be reflected in your UI"), and neither do we.
 */
const CLASSES: Readonly<Record<string, readonly string[]>> = {
  ".background-customizable": ["background-color"],
  ".banner-customizable": ["padding", "background-color"],
  ".errorMessage-customizable": [
    "margin",
    "padding",
    "font-size",
    "width",
    "background",
    "border",
    "color",
    "box-sizing",
  ],
  ".idpButton-customizable": [
    "height",
    "width",
    "text-align",
    "margin-bottom",
    "color",
    "background-color",
    "border-color",
  ],
  ".idpButton-customizable:hover": ["color", "background-color"],
  ".idpDescription-customizable": ["padding-top", "padding-bottom", "display", "font-size", "color"],
  ".inputField-customizable": ["width", "height", "color", "background-color", "border"],
  ".inputField-customizable:focus": ["border-color", "outline"],
  ".label-customizable": ["font-weight", "color"],
  ".legalText-customizable": ["color", "font-size"],
  ".logo-customizable": ["max-width", "max-height", "background-color"],
  ".passwordCheck-valid-customizable": ["color"],
  ".passwordCheck-notValid-customizable": ["color"],
  ".redirect-customizable": ["text-align"],
  ".socialButton-customizable": ["height", "text-align", "width", "margin-bottom"],
  ".submitButton-customizable": ["font-size", "font-weight", "margin", "width", "height", "color", "background-color"],
  ".submitButton-customizable:hover": ["color", "background-color"],
  ".textDescription-customizable": ["padding-top", "padding-bottom", "display", "font-size", "color"],
};

/** One rule of a checked sheet. */
export interface CssRule {
  readonly selectors: readonly string[];
  readonly declarations: readonly { readonly property: string; readonly value: string }[];
}

/**
 * Parses and checks classic CSS as Cognito does: rules whose selectors are its classes, one by
 * one; no at-rule (`@import`, `@media`...: the guide names them), no script, no nesting.
 */
export function parseClassicCss(css: string): CssRule[] {
  if (/@[a-z-]/i.test(css))
    throw errors.uiCustomizationCssInvalid("@import, @supports, @page and @media are not allowed.");
  if (/javascript:|expression\s*\(|<\s*\/?\s*script/i.test(css))
    throw errors.uiCustomizationCssInvalid("JavaScript is not allowed.");
  const text = css.replace(/\/\*[\s\S]*?\*\//g, " ");
  if (text.includes("/*")) throw errors.uiCustomizationCssInvalid("a comment is not closed.");
  const rules: CssRule[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf("{", at);
    if (open < 0) {
      if (text.slice(at).trim() !== "") throw errors.uiCustomizationCssInvalid("text outside a rule.");
      break;
    }
    const close = text.indexOf("}", open);
    if (close < 0) throw errors.uiCustomizationCssInvalid("a rule is not closed.");
    const body = text.slice(open + 1, close);
    if (body.includes("{")) throw errors.uiCustomizationCssInvalid("nested rules are not allowed.");
    const selectors = text
      .slice(at, open)
      .split(",")
      .map((s) => s.trim());
    for (const selector of selectors) {
      if (!Object.hasOwn(CLASSES, selector))
        throw errors.uiCustomizationCssInvalid(
          `${selector === "" ? "an empty selector" : selector} is not one of the customizable classes.`,
        );
    }
    const declarations = body
      .split(";")
      .map((d) => d.trim())
      .filter((d) => d !== "")
      .map((d) => {
        const colon = d.indexOf(":");
        if (colon <= 0) throw errors.uiCustomizationCssInvalid(`"${d.slice(0, 40)}" is not a declaration.`);
        return { property: d.slice(0, colon).trim().toLowerCase(), value: d.slice(colon + 1).trim() };
      });
    rules.push({ selectors, declarations });
    at = close + 1;
  }
  return rules;
}

/**
 * The sheet the classic pages include: each rule's reflected properties only, and only values that
 * cannot leave their declaration or the page's <style> element (no `<`, `>`, braces, backslash).
 * `selectorOf` turns one of Cognito's classes into the pages' own selector for the element.
 */
export function classicStyleSheet(css: string, selectorOf: (cognitoClass: string) => string): string {
  let rules: CssRule[];
  try {
    rules = parseClassicCss(css);
  } catch {
    return ""; // Stored CSS was checked when set; a record loaded from elsewhere shows nothing.
  }
  const out: string[] = [];
  for (const rule of rules) {
    for (const selector of rule.selectors) {
      const allowed = CLASSES[selector] ?? [];
      const kept = rule.declarations.filter((d) => allowed.includes(d.property) && /^[^<>{}\\;]*$/.test(d.value));
      if (kept.length > 0)
        out.push(`${selectorOf(selector)}{${kept.map((d) => `${d.property}:${d.value}`).join(";")}}`);
    }
  }
  return out.join("\n");
}

/** The customisation stored under this key (a client id or ALL_CLIENTS), if any. */
export function uiCustomizationOf(pool: StoredPool, key: string): StoredUICustomization | undefined {
  const all = pool.uiCustomizations;
  return all && Object.hasOwn(all, key) ? all[key] : undefined;
}

/** What a client's pages use: its own customisation, else the pool's ALL one. */
export function effectiveUICustomization(
  pool: StoredPool,
  clientId: string | undefined,
): { key: string; record: StoredUICustomization } | undefined {
  const own = clientId !== undefined ? uiCustomizationOf(pool, clientId) : undefined;
  if (own) return { key: clientId!, record: own };
  const all = uiCustomizationOf(pool, ALL_CLIENTS);
  return all ? { key: ALL_CLIENTS, record: all } : undefined;
}

/** `yyyyMMddHHmmss` in UTC, as Cognito's CSSVersion reads. */
function cssVersionAt(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/** The record SetUICustomization stores: the CSS checked, the image a PNG or JPEG. */
export function uiCustomizationRecord(
  css: string | undefined,
  imageBase64: string | undefined,
  previous: StoredUICustomization | undefined,
  now: number,
): UICustomizationRecord {
  if (css !== undefined) parseClassicCss(css);
  let image: UICustomizationRecord["image"];
  if (imageBase64 !== undefined && imageBase64 !== "") {
    const type = sniffImage(Buffer.from(imageBase64, "base64"));
    if (type !== "PNG" && type !== "JPEG") throw errors.uiCustomizationImageInvalid();
    image = { bytes: imageBase64, type: type === "PNG" ? "png" : "jpeg" };
  }
  return {
    ...(css !== undefined ? { css } : {}),
    ...(image ? { image } : {}),
    cssVersion: cssVersionAt(now),
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
  };
}

/** The pool with `record` stored under `key`. */
export function poolWithUICustomization(pool: StoredPool, key: string, record: UICustomizationRecord): StoredPool {
  return { ...pool, uiCustomizations: { ...pool.uiCustomizations, [key]: record } };
}

/** The pool without anything of the app client: its style and its customisation (DeleteUserPoolClient). */
export function poolWithoutClientBranding(pool: StoredPool, clientId: string): StoredPool {
  const hasStyle = Object.values(pool.managedLoginBrandings ?? {}).some((b) => b.clientId === clientId);
  if (!hasStyle && !uiCustomizationOf(pool, clientId)) return pool;
  const brandings = Object.entries(pool.managedLoginBrandings ?? {}).filter(([, b]) => b.clientId !== clientId);
  const { [clientId]: _gone, ...customizations } = pool.uiCustomizations ?? {};
  const { managedLoginBrandings: _b, uiCustomizations: _u, ...base } = pool;
  return {
    ...base,
    ...(brandings.length > 0 ? { managedLoginBrandings: Object.fromEntries(brandings) } : {}),
    ...(Object.keys(customizations).length > 0 ? { uiCustomizations: customizations } : {}),
  };
}

/** The path the logo is served at (http/hosted/branding.tsx's route), under the emulator's base. */
export function uiImagePath(poolId: string, key: string, record: StoredUICustomization): string | undefined {
  if (!record.image) return undefined;
  const ext = record.image.type === "png" ? "png" : "jpg";
  return `/_ui-assets/${encodeURIComponent(poolId)}/${encodeURIComponent(key)}/${record.cssVersion}/assets/images/image.${ext}`;
}

/** The customisation as Set/GetUICustomization answer it; `base`: where ImageUrl points. */
export function uiCustomizationType(
  poolId: string,
  key: string,
  record: StoredUICustomization,
  base: string,
): Wire<UICustomizationType> {
  const path = uiImagePath(poolId, key, record);
  return {
    UserPoolId: poolId,
    ClientId: key,
    ...(path ? { ImageUrl: `${base.replace(/\/+$/, "")}${path}` } : {}),
    ...(record.css !== undefined ? { CSS: record.css } : {}),
    CSSVersion: record.cssVersion,
    CreationDate: record.createdAt / 1000,
    LastModifiedDate: record.updatedAt / 1000,
  };
}
