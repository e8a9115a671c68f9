// The branding domain's pure parts: merging Settings documents, sniffing images, and checking and
// rebuilding classic CSS (docs/decisions/0027).
import { describe, expect, it } from "vitest";
import { solidPng } from "../../test-support/png.js";
import { CognitoError } from "../core/errors.js";
import { mergeSettings, settingAt, sniffImage } from "./branding.js";
import { classicStyleSheet, parseClassicCss } from "./ui-customization.js";

describe("mergeSettings", () => {
  it("merges objects key by key; arrays and scalars replace", () => {
    expect(mergeSettings({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, e: 2 })).toEqual({
      a: { b: 1, c: [3] },
      d: 1,
      e: 2,
    });
  });

  it("keeps `__proto__` from a parsed request as a plain key, never the prototype", () => {
    const merged = mergeSettings({ a: 1 }, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.hasOwn(merged, "__proto__")).toBe(true);
    expect(settingAt(merged, "constructor")).toBeUndefined();
  });
});

describe("sniffImage", () => {
  it("knows PNG, JPEG, ICO, WEBP and SVG by their bytes", () => {
    expect(sniffImage(solidPng(1, 1, [0, 0, 0]))).toBe("PNG");
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe("JPEG");
    expect(sniffImage(Buffer.from([0, 0, 1, 0, 1, 0]))).toBe("ICO");
    expect(sniffImage(Buffer.from("RIFF\0\0\0\0WEBPVP8 "))).toBe("WEBP");
    expect(sniffImage(Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe("SVG");
    expect(sniffImage(Buffer.from("GIF89a"))).toBeUndefined();
    expect(sniffImage(Buffer.alloc(0))).toBeUndefined();
  });
});

describe("classic CSS", () => {
  const refused = (css: string) => {
    try {
      parseClassicCss(css);
    } catch (e) {
      expect(e).toBeInstanceOf(CognitoError);
      return (e as CognitoError).message;
    }
    throw new Error(`accepted: ${css}`);
  };

  it("takes Cognito's template: comments, several selectors, its pseudo-classes", () => {
    const rules = parseClassicCss(
      "/* template */\n.submitButton-customizable, .submitButton-customizable:hover { color: #fff; }\n.inputField-customizable:focus{outline:0}",
    );
    expect(rules).toEqual([
      {
        selectors: [".submitButton-customizable", ".submitButton-customizable:hover"],
        declarations: [{ property: "color", value: "#fff" }],
      },
      { selectors: [".inputField-customizable:focus"], declarations: [{ property: "outline", value: "0" }] },
    ]);
    expect(parseClassicCss("")).toEqual([]);
  });

  it("refuses other selectors, at-rules, script, nesting and broken sheets", () => {
    expect(refused(".label-customizable p{color:red}")).toMatch(/is not one of the customizable classes/);
    expect(refused("{color:red}")).toMatch(/an empty selector/);
    expect(refused("@media print{.label-customizable{color:red}}")).toMatch(/@import, @supports/);
    expect(refused(".label-customizable{color:red")).toMatch(/not closed/);
    expect(refused(".label-customizable{a{b:c}}")).toMatch(/nested/);
    expect(refused(".label-customizable{color red}")).toMatch(/is not a declaration/);
    expect(refused(".label-customizable{color:red} stray")).toMatch(/text outside a rule/);
    expect(refused("/* open .label-customizable{color:red}")).toMatch(/comment is not closed/);
    expect(refused(".label-customizable{width:expression(alert(1))}")).toMatch(/JavaScript/);
  });

  it("rebuilds only reflected properties with values that stay inside their declaration", () => {
    const sheet = classicStyleSheet(
      '.label-customizable{color:red;position:fixed;font-weight:"<b>"} .redirect-customizable{text-align:center}',
      (c) => `X${c}`,
    );
    expect(sheet).toBe("X.label-customizable{color:red}\nX.redirect-customizable{text-align:center}");
  });
});
