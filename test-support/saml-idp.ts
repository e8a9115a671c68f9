// A real SAML 2.0 identity provider for the tests: samlify's IdP side, with a key and a
// self-signed certificate made at run time (selfsigned), its metadata as an IdP publishes it, a
// parse of the emulator's AuthnRequest (HTTP-Redirect binding, checked against SAML's schema with
// node-xmllint) and signed responses to it. The bad cases are the same IdP's: another key, another
// audience, another time, its signature taken out.
import { DOMParser, XMLSerializer } from "@xmldom/xmldom";
import { generate } from "selfsigned";

// samlify and its validator are loaded by a name the compiler does not follow: samlify's
// declarations pull the DOM library into the program (through @xmldom 0.8), whose fetch types
// clash with Node's. The part used here is typed below.
interface SamlifyEntity {
  getMetadata(): string;
}
interface SamlifyIdp extends SamlifyEntity {
  parseLoginRequest(
    sp: SamlifyEntity,
    binding: "redirect",
    req: { query: Record<string, string>; octetString?: string },
  ): Promise<{ extract: { request: { id: string }; issuer?: string; nameIDPolicy?: unknown } }>;
  createLoginResponse(
    sp: SamlifyEntity,
    requestInfo: unknown,
    binding: "post",
    user: Record<string, string>,
    options: { customTagReplacement: (template: string) => { id: string; context: string } },
  ): Promise<{ context: string }>;
}
interface Samlify {
  IdentityProvider(settings: Record<string, unknown>): SamlifyIdp;
  ServiceProvider(settings: Record<string, unknown>): SamlifyEntity;
  setSchemaValidator(validator: { validate(xml: string): Promise<unknown> }): void;
  SamlLib: {
    replaceTagsByValue(template: string, values: Record<string, string>): string;
    defaultLoginResponseTemplate: { context: string };
  };
}
const SAMLIFY = "samlify";
const XMLLINT = "@authenio/samlify-node-xmllint";

const REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
const UNSPECIFIED = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";

let loaded: Promise<Samlify> | undefined;
async function samlify(): Promise<Samlify> {
  loaded ??= (async () => {
    const lib = (await import(SAMLIFY)) as Samlify & { default?: Samlify };
    const api = (lib.default ?? lib) as Samlify;
    const validator = (await import(XMLLINT)) as { validate(xml: string): Promise<unknown> };
    api.setSchemaValidator({ validate: (xml) => validator.validate(xml) });
    return api;
  })();
  return loaded;
}

/** A key and its self-signed certificate (PEM), valid from `from` for `days`. */
export async function samlKeyPair(
  name = "test-idp",
  days = 365,
  from = new Date(Date.now() - 60_000),
): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: "commonName", value: name }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate: from,
    notAfterDate: new Date(from.getTime() + days * 86_400_000),
  });
  return { key: pems.private, cert: pems.cert };
}

/** What a response says, and how it is made. */
interface ResponseOptions {
  /** The SP: its entity id (the audience) and ACS URL (Destination, Recipient). */
  readonly audience: string;
  readonly acsUrl: string;
  /** The AuthnRequest answered (SP-initiated); none for an IdP-initiated response. */
  readonly request?: { readonly id: string } | undefined;
  readonly nameId: string;
  readonly attributes?: Readonly<Record<string, string>>;
  /** When the IdP says it is (the assertion's IssueInstant and NotBefore); now by default. */
  readonly at?: Date | undefined;
  /** How long the assertion is valid (NotOnOrAfter), in seconds; five minutes by default. */
  readonly lifetimeSeconds?: number | undefined;
  /** "none": the signature taken out of the signed response. */
  readonly signature?: "signed" | "none";
}

/** A running test IdP. */
export interface TestSamlIdp {
  readonly entityId: string;
  readonly ssoUrl: string;
  /** Its metadata XML (for MetadataFile, or served for MetadataURL). */
  readonly metadata: string;
  /** Parses the AuthnRequest the emulator redirected to (the Location of its 302). */
  parseRequest(location: string, sp: { entityId: string; acsUrl: string }): Promise<{ id: string; relayState: string }>;
  /** A base64 SAMLResponse for the SP, signed with this IdP's key. */
  respond(options: ResponseOptions): Promise<string>;
}

/** The attributes every test response may carry, by the names the IdP sends them under. */
const ATTRIBUTES = ["email", "given_name", "family_name", "department"] as const;

/**
 * Starts a samlify IdP. `signWith` signs its responses with another key than the one its
 * metadata names (a response "signed by another key").
 */
export async function createSamlIdp(
  options: {
    entityId?: string;
    ssoUrl?: string;
    signWith?: { key: string; cert: string };
    keys?: { key: string; cert: string };
  } = {},
): Promise<TestSamlIdp> {
  const lib = await samlify();
  const entityId = options.entityId ?? "https://idp.example.test/metadata";
  const ssoUrl = options.ssoUrl ?? "https://idp.example.test/sso";
  const keys = options.keys ?? (await samlKeyPair());
  const template = {
    context: lib.SamlLib.defaultLoginResponseTemplate.context,
    attributes: ATTRIBUTES.map((name) => ({
      name,
      valueTag: name,
      nameFormat: "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
      valueXsiType: "xs:string",
    })),
  };
  const settings = (k: { key: string; cert: string }) => ({
    entityID: entityId,
    privateKey: k.key,
    signingCert: k.cert,
    nameIDFormat: [UNSPECIFIED],
    singleSignOnService: [
      { Binding: REDIRECT, Location: ssoUrl },
      { Binding: POST, Location: ssoUrl },
    ],
    loginResponseTemplate: template,
  });
  const idp = lib.IdentityProvider(settings(keys));
  const signer = options.signWith ? lib.IdentityProvider(settings(options.signWith)) : idp;
  const spOf = (sp: { entityId: string; acsUrl: string }) =>
    lib.ServiceProvider({
      entityID: sp.entityId,
      assertionConsumerService: [{ Binding: POST, Location: sp.acsUrl }],
      wantAssertionsSigned: true,
    });

  return {
    entityId,
    ssoUrl,
    metadata: idp.getMetadata(),
    async parseRequest(location, sp) {
      const url = new URL(location);
      const query = Object.fromEntries(url.searchParams);
      const parsed = await idp.parseLoginRequest(spOf(sp), "redirect", { query });
      return { id: parsed.extract.request.id, relayState: url.searchParams.get("RelayState") ?? "" };
    },
    async respond(o) {
      const at = o.at ?? new Date();
      const until = new Date(at.getTime() + (o.lifetimeSeconds ?? 300) * 1000);
      const id = `_${crypto.randomUUID()}`;
      const values: Record<string, string> = {
        ID: id,
        AssertionID: `_${crypto.randomUUID()}`,
        Destination: o.acsUrl,
        Audience: o.audience,
        SubjectRecipient: o.acsUrl,
        Issuer: entityId,
        IssueInstant: at.toISOString(),
        StatusCode: "urn:oasis:names:tc:SAML:2.0:status:Success",
        ConditionsNotBefore: at.toISOString(),
        ConditionsNotOnOrAfter: until.toISOString(),
        SubjectConfirmationDataNotOnOrAfter: until.toISOString(),
        NameIDFormat: UNSPECIFIED,
        NameID: o.nameId,
        InResponseTo: o.request?.id ?? "",
        AuthnStatement: "",
      };
      for (const name of ATTRIBUTES)
        values[
          `attr${name.replace(/_(.)/g, (_m, ch: string) => ch.toUpperCase()).replace(/^./, (ch) => ch.toUpperCase())}`
        ] = o.attributes?.[name] ?? "";
      const made = await signer.createLoginResponse(
        spOf({ entityId: o.audience, acsUrl: o.acsUrl }),
        null,
        "post",
        {},
        {
          customTagReplacement: (t) => {
            let xml = lib.SamlLib.replaceTagsByValue(t, values);
            // An unsolicited response answers no request: no InResponseTo at all.
            if (!o.request) xml = xml.replace(/ InResponseTo=""/g, "");
            return { id, context: xml };
          },
        },
      );
      if (o.signature !== "none") return made.context;
      const doc = new DOMParser().parseFromString(Buffer.from(made.context, "base64").toString("utf8"), "text/xml");
      for (const sig of Array.from(doc.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature")))
        sig.parentNode?.removeChild(sig);
      return Buffer.from(new XMLSerializer().serializeToString(doc)).toString("base64");
    },
  };
}
