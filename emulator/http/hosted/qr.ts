// The QR code of an authenticator's otpauth:// URI, as SVG markup, from qrcode's encoder and its
// SVG renderer only: the package's Node entry also loads its PNG and terminal renderers, which
// need `fs` at load time and so cannot be bundled into the command's single ESM file.
// @ts-expect-error qrcode has no type declarations for its parts
import * as encoder from "qrcode/lib/core/qrcode.js";
// @ts-expect-error qrcode has no type declarations for its parts
import * as svgRenderer from "qrcode/lib/renderer/svg-tag.js";

type Encoded = object;
const create = (encoder as { create(text: string, options: { errorCorrectionLevel: "M" }): Encoded }).create;
const render = (svgRenderer as { render(qr: Encoded, options: { margin: number }): string }).render;

/** An SVG image (as a data: URI, for an <img>) of `text` as a QR code. */
export function qrDataUri(text: string): string {
  const svg = render(create(text, { errorCorrectionLevel: "M" }), { margin: 1 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}
