// Managed login branding styles (CreateManagedLoginBranding and the rest): one style per app
// client, a Settings document and image assets, kept on the pool (PoolRecord.managedLoginBrandings,
// by ManagedLoginBrandingId). What the version 2 pages reflect of a style is chosen here too
// (brandingView); the pages render it (http/hosted/branding.tsx). docs/decisions/0027.
import type { AssetType, ManagedLoginBrandingType } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import type { BrandingAssetRecord, DeepReadonly, ManagedLoginBrandingRecord, StoredPool } from "../store/types.js";
import { COGNITO_DEFAULT_SETTINGS } from "./branding-defaults.js";

/** A style as its pool's record holds it. */
export type StoredBranding = DeepReadonly<ManagedLoginBrandingRecord>;

type Json = Record<string, unknown>;

/** A JSON object (not an array, not null). */
function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The pool's style with this id, if any (own properties only: `constructor` finds nothing). */
function brandingById(pool: StoredPool, id: string): StoredBranding | undefined {
  const all = pool.managedLoginBrandings;
  return all && Object.hasOwn(all, id) ? all[id] : undefined;
}

/** The style assigned to the client, if any. */
export function brandingOfClient(pool: StoredPool, clientId: string): StoredBranding | undefined {
  return Object.values(pool.managedLoginBrandings ?? {}).find((b) => b.clientId === clientId);
}

/** The style, or ResourceNotFoundException. */
export function requireBranding(pool: StoredPool, id: string): StoredBranding {
  const branding = brandingById(pool, id);
  if (!branding) throw errors.managedLoginBrandingNotFound();
  return branding;
}

/** The pool with `branding` added or replaced. */
export function poolWithBranding(pool: StoredPool, branding: StoredBranding): StoredPool {
  return { ...pool, managedLoginBrandings: { ...pool.managedLoginBrandings, [branding.id]: branding } };
}

/** The pool without the style `id`. */
export function poolWithoutBranding(pool: StoredPool, id: string): StoredPool {
  const { [id]: _gone, ...rest } = pool.managedLoginBrandings ?? {};
  const { managedLoginBrandings: _old, ...base } = pool;
  return Object.keys(rest).length > 0 ? { ...base, managedLoginBrandings: rest } : base;
}

// ---- Settings

/**
 * Deep merge of JSON objects: objects merge key by key, anything else (arrays included) in `over`
 * replaces. Keys are defined, never assigned, so `__proto__` from a request stays a plain key.
 */
export function mergeSettings(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Json = {};
  for (const [key, value] of Object.entries(base)) define(out, key, value);
  for (const [key, value] of Object.entries(over)) {
    define(out, key, Object.hasOwn(base, key) ? mergeSettings(base[key], value) : value);
  }
  return out;
}

function define(target: Json, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The value at a dotted path of a document, if every step is an own key of an object. */
export function settingAt(doc: unknown, path: string): unknown {
  let at: unknown = doc;
  for (const step of path.split(".")) {
    if (!isObject(at) || !Object.hasOwn(at, step)) return undefined;
    at = at[step];
  }
  return at;
}

/** The modes the document's colours come in. */
const MODES = ["lightMode", "darkMode"] as const;

/** Every key of Settings the pages reflect, and the form its value must have. */
const REFLECTED: readonly { path: string; kind: "colour" | "radius" | "boolean" | "scheme" | "types" }[] = [
  { path: "categories.global.colorSchemeMode", kind: "scheme" },
  { path: "categories.global.pageHeader.enabled", kind: "boolean" },
  { path: "components.form.logo.enabled", kind: "boolean" },
  { path: "components.form.borderRadius", kind: "radius" },
  { path: "components.pageBackground.image.enabled", kind: "boolean" },
  { path: "components.pageHeader.logo.enabled", kind: "boolean" },
  { path: "components.favicon.enabledTypes", kind: "types" },
  { path: "componentClasses.buttons.borderRadius", kind: "radius" },
  { path: "componentClasses.input.borderRadius", kind: "radius" },
  ...MODES.flatMap((mode) => [
    { path: `components.pageBackground.${mode}.color`, kind: "colour" as const },
    { path: `components.pageHeader.${mode}.background.color`, kind: "colour" as const },
    { path: `components.form.${mode}.backgroundColor`, kind: "colour" as const },
    { path: `components.form.${mode}.borderColor`, kind: "colour" as const },
    { path: `components.pageText.${mode}.headingColor`, kind: "colour" as const },
    { path: `components.pageText.${mode}.bodyColor`, kind: "colour" as const },
    { path: `components.pageText.${mode}.descriptionColor`, kind: "colour" as const },
    ...["defaults", "hover"].flatMap((state) => [
      { path: `components.primaryButton.${mode}.${state}.backgroundColor`, kind: "colour" as const },
      { path: `components.primaryButton.${mode}.${state}.textColor`, kind: "colour" as const },
      { path: `components.secondaryButton.${mode}.${state}.backgroundColor`, kind: "colour" as const },
      { path: `components.secondaryButton.${mode}.${state}.borderColor`, kind: "colour" as const },
      { path: `components.secondaryButton.${mode}.${state}.textColor`, kind: "colour" as const },
      { path: `componentClasses.link.${mode}.${state}.textColor`, kind: "colour" as const },
    ]),
    { path: `componentClasses.input.${mode}.defaults.backgroundColor`, kind: "colour" as const },
    { path: `componentClasses.input.${mode}.defaults.borderColor`, kind: "colour" as const },
    { path: `componentClasses.inputLabel.${mode}.textColor`, kind: "colour" as const },
  ]),
];

/** A colour as the branding editor writes it: RRGGBBAA hex, no `#`. */
const COLOUR = /^[0-9a-fA-F]{8}$/;

/**
 * The Settings of a request, checked: a JSON object, and every key the pages reflect in the form
 * Cognito's editor gives it. Other keys are kept as they are (Cognito stores the document).
 */
export function checkSettings(settings: unknown): Json {
  if (!isObject(settings)) throw errors.brandingSettingsInvalid("Settings must be a JSON object.");
  for (const { path, kind } of REFLECTED) {
    // The objects on the way to a reflected key must be objects (`components: []` is no document).
    const steps = path.split(".");
    for (let i = 1; i < steps.length; i++) {
      const prefix = steps.slice(0, i).join(".");
      const on = settingAt(settings, prefix);
      if (on !== undefined && !isObject(on)) throw errors.brandingSettingsInvalid(`${prefix} must be a JSON object.`);
    }
    const value = settingAt(settings, path);
    if (value === undefined) continue;
    const ok =
      kind === "colour"
        ? typeof value === "string" && COLOUR.test(value)
        : kind === "radius"
          ? typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= 100
          : kind === "boolean"
            ? typeof value === "boolean"
            : kind === "scheme"
              ? value === "LIGHT" || value === "DARK" || value === "DYNAMIC"
              : Array.isArray(value) && value.every((v) => v === "ICO" || v === "SVG");
    if (!ok) throw errors.brandingSettingsInvalid(`${path} ${EXPECTED[kind]}.`);
  }
  return settings;
}

const EXPECTED = {
  colour: "must be a colour of 8 hex digits (RRGGBBAA)",
  radius: "must be a number from 0 to 100",
  boolean: "must be true or false",
  scheme: "must be LIGHT, DARK or DYNAMIC",
  types: "must be a list of ICO and SVG",
} as const;

// ---- Assets

/** What an image's first bytes say it is, as AssetExtensionType names it. */
export function sniffImage(bytes: Buffer): "PNG" | "JPEG" | "ICO" | "WEBP" | "SVG" | undefined {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return "PNG";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "JPEG";
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 1 && bytes[3] === 0) return "ICO";
  if (bytes.length >= 12 && bytes.toString("latin1", 0, 4) === "RIFF" && bytes.toString("latin1", 8, 12) === "WEBP")
    return "WEBP";
  // An SVG is text: an <svg element near the start (after an XML declaration or comment, maybe).
  if (/<svg[\s>]/i.test(bytes.toString("utf8", 0, Math.min(bytes.length, 4096)))) return "SVG";
  return undefined;
}

/** The extension a category takes (favicons have their own); undefined: any but ICO. */
const CATEGORY_EXTENSION: Readonly<Record<string, string>> = { FAVICON_ICO: "ICO", FAVICON_SVG: "SVG" };

/** A request's Assets, checked: one per category and colour mode, bytes of the type they claim. */
export function checkAssets(assets: readonly AssetType[] | undefined): BrandingAssetRecord[] {
  const seen = new Set<string>();
  return (assets ?? []).map((asset) => {
    const category = asset.Category!;
    const mode = asset.ColorMode!;
    const extension = asset.Extension!;
    const key = `${category}/${mode}`;
    if (seen.has(key)) throw errors.brandingAssetInvalid(`more than one asset for ${category} in ${mode} mode.`);
    seen.add(key);
    const wanted = CATEGORY_EXTENSION[category];
    if (wanted !== undefined ? extension !== wanted : extension === "ICO")
      throw errors.brandingAssetInvalid(`${category} cannot be ${extension}.`);
    // The protocol hands blobs over as the base64 the wire carries.
    const bytes = asset.Bytes as unknown as string | undefined;
    if (bytes === undefined || bytes.length === 0) throw errors.brandingAssetInvalid(`${category} has no Bytes.`);
    if (sniffImage(Buffer.from(bytes, "base64")) !== extension)
      throw errors.brandingAssetInvalid(`the Bytes of ${category} are not a ${extension} image.`);
    return {
      Category: category,
      ColorMode: mode,
      Extension: extension,
      Bytes: bytes,
      ...(asset.ResourceId !== undefined ? { ResourceId: asset.ResourceId } : {}),
    };
  });
}

/** `old` with each of `given` added or replacing the one of its category and colour mode. */
export function mergeAssets(
  old: readonly DeepReadonly<BrandingAssetRecord>[],
  given: readonly BrandingAssetRecord[],
): BrandingAssetRecord[] {
  const key = (a: DeepReadonly<BrandingAssetRecord>) => `${a.Category}/${a.ColorMode}`;
  const replaced = new Set(given.map(key));
  return [...old.filter((a) => !replaced.has(key(a))).map((a) => ({ ...a })), ...given];
}

// ---- Answers and views

/** The style as the branding operations answer it; `merged`: with Cognito's defaults under it. */
export function brandingType(poolId: string, b: StoredBranding, merged: boolean): Wire<ManagedLoginBrandingType> {
  // Not merged: only what the style customised (nothing, for Cognito's provided values).
  const settings = merged ? effectiveSettings(b) : b.settings;
  return {
    ManagedLoginBrandingId: b.id,
    UserPoolId: poolId,
    UseCognitoProvidedValues: b.useCognitoProvidedValues,
    Settings: settings as Wire<ManagedLoginBrandingType>["Settings"],
    Assets: b.assets.map((a) => ({ ...a })) as unknown as Wire<ManagedLoginBrandingType>["Assets"],
    CreationDate: b.createdAt / 1000,
    LastModifiedDate: b.updatedAt / 1000,
  };
}

/** The style's whole document: Cognito's defaults with the style's own values over them. */
export function effectiveSettings(b: StoredBranding): Json {
  return mergeSettings(COGNITO_DEFAULT_SETTINGS, b.useCognitoProvidedValues ? {} : b.settings) as Json;
}

/** A colour scheme the pages are drawn in. */
export type Scheme = "LIGHT" | "DARK" | "DYNAMIC";

/** The asset of a category for a scheme: the mode's own, else the browser-adaptive one. */
export function assetFor(
  b: StoredBranding,
  category: string,
  mode: "LIGHT" | "DARK",
): DeepReadonly<BrandingAssetRecord> | undefined {
  return (
    b.assets.find((a) => a.Category === category && a.ColorMode === mode) ??
    b.assets.find((a) => a.Category === category && a.ColorMode === "DYNAMIC")
  );
}
