// CreateTerms, DescribeTerms, ListTerms, UpdateTerms, DeleteTerms: one document of each TermsName
// per app client, links checked, kept across a restart and removed with the client; and the
// managed login sign-up page linking both documents in the page's language (docs/decisions/0026).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateTermsCommand,
  DeleteTermsCommand,
  DescribeTermsCommand,
  ListTermsCommand,
  UpdateTermsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool } from "../../test-support/auth-fixtures.js";
import { type Hosted, hostedTwin } from "../../test-support/hosted-fixtures.js";
import { call, startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
beforeAll(async () => {
  t = await startTwin();
});
afterAll(() => t.close());

const TERMS = { "cognito:default": "https://example.com/terms", "cognito:spanish": "https://example.com/es/terms" };

async function poolAndClient() {
  const poolId = await createPool(t);
  const { clientId } = await createClient(t, poolId);
  return { poolId, clientId };
}

const create = (poolId: string, clientId: string, TermsName: string, Links: Record<string, string> = TERMS) =>
  t.cognito.send(
    new CreateTermsCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      TermsName,
      TermsSource: "LINK",
      Enforcement: "NONE",
      Links,
    }),
  );

describe("terms documents through SDK v3", () => {
  it("creates, describes, lists, updates and deletes", async () => {
    const { poolId, clientId } = await poolAndClient();
    const made = (await create(poolId, clientId, "terms-of-use")).Terms!;
    expect(made).toMatchObject({
      UserPoolId: poolId,
      ClientId: clientId,
      TermsName: "terms-of-use",
      TermsSource: "LINK",
      Enforcement: "NONE",
      Links: TERMS,
    });
    expect(made.TermsId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(made.CreationDate).toBeInstanceOf(Date);
    const described = await t.cognito.send(new DescribeTermsCommand({ UserPoolId: poolId, TermsId: made.TermsId }));
    expect(described.Terms).toEqual(made);

    const privacy = (await create(poolId, clientId, "privacy-policy")).Terms!;
    const listed = await t.cognito.send(new ListTermsCommand({ UserPoolId: poolId }));
    expect(listed.Terms!.map((x) => x.TermsName)).toEqual(["terms-of-use", "privacy-policy"]);
    expect(Object.keys(listed.Terms![0]!).sort()).toEqual(
      ["CreationDate", "Enforcement", "LastModifiedDate", "TermsId", "TermsName"].sort(),
    );

    // A patch: the links change, the rest stays.
    const updated = await t.cognito.send(
      new UpdateTermsCommand({
        UserPoolId: poolId,
        TermsId: privacy.TermsId,
        Links: { "cognito:default": "https://example.com/privacy" },
      }),
    );
    expect(updated.Terms).toMatchObject({
      TermsName: "privacy-policy",
      Links: { "cognito:default": "https://example.com/privacy" },
    });

    await t.cognito.send(new DeleteTermsCommand({ UserPoolId: poolId, TermsId: made.TermsId }));
    await expect(
      t.cognito.send(new DescribeTermsCommand({ UserPoolId: poolId, TermsId: made.TermsId })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    expect((await t.cognito.send(new ListTermsCommand({ UserPoolId: poolId }))).Terms).toHaveLength(1);
  });

  it("one document of each name per client: TermsExistsException, on create and on a rename", async () => {
    const { poolId, clientId } = await poolAndClient();
    const tou = (await create(poolId, clientId, "terms-of-use")).Terms!;
    await expect(create(poolId, clientId, "terms-of-use")).rejects.toMatchObject({ name: "TermsExistsException" });
    // Another client may have its own.
    const { clientId: other } = await createClient(t, poolId);
    await create(poolId, other, "terms-of-use");
    await create(poolId, clientId, "privacy-policy");
    await expect(
      t.cognito.send(new UpdateTermsCommand({ UserPoolId: poolId, TermsId: tou.TermsId, TermsName: "privacy-policy" })),
    ).rejects.toMatchObject({ name: "TermsExistsException" });
    // Renaming to its own name is no conflict.
    await t.cognito.send(
      new UpdateTermsCommand({ UserPoolId: poolId, TermsId: tou.TermsId, TermsName: "terms-of-use" }),
    );
  });

  it("refuses bad input: unknown pools, clients and ids, no Links, bad URLs, names and languages", async () => {
    const { poolId, clientId } = await poolAndClient();
    const other = await createPool(t);
    await expect(create(other, clientId, "terms-of-use")).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    await expect(create(poolId, "nope", "terms-of-use")).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    await expect(
      create(poolId, clientId, "terms-of-use", { "cognito:default": "javascript:alert(1)" }),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
    await expect(create(poolId, clientId, "terms-of-use", { "cognito:default": "not-a-url" })).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
    await expect(create(poolId, clientId, "cookie-policy")).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
    await expect(
      create(poolId, clientId, "terms-of-use", { "cognito:klingon": "https://x.example" }),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
    const noLinks = await call(t.twin, "CreateTerms", {
      UserPoolId: poolId,
      ClientId: clientId,
      TermsName: "terms-of-use",
      TermsSource: "LINK",
      Enforcement: "NONE",
    });
    expect(noLinks.status).toBe(400);
    expect(noLinks.body.__type).toBe("InvalidParameterException");
    const id = "0b0e5c1c-1d1e-4f00-8a00-000000000000";
    for (const op of ["DescribeTerms", "DeleteTerms", "UpdateTerms"]) {
      const res = await call(t.twin, op, { UserPoolId: poolId, TermsId: id });
      expect(res.body.__type).toBe("ResourceNotFoundException");
    }
    expect((await call(t.twin, "DescribeTerms", { UserPoolId: poolId, TermsId: "constructor" })).status).toBe(400);
    expect((await call(t.twin, "ListTerms", { UserPoolId: poolId, NextToken: "garbage" })).status).toBe(400);
  });

  it("pages with MaxResults and NextToken; deleting the client deletes its terms", async () => {
    const { poolId, clientId } = await poolAndClient();
    const { clientId: second } = await createClient(t, poolId);
    await create(poolId, clientId, "terms-of-use");
    await create(poolId, clientId, "privacy-policy");
    await create(poolId, second, "terms-of-use");
    const first = await t.cognito.send(new ListTermsCommand({ UserPoolId: poolId, MaxResults: 2 }));
    expect(first.Terms).toHaveLength(2);
    const rest = await t.cognito.send(
      new ListTermsCommand({ UserPoolId: poolId, MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(rest.Terms).toHaveLength(1);
    expect(rest.NextToken).toBeUndefined();
    await call(t.twin, "DeleteUserPoolClient", { UserPoolId: poolId, ClientId: clientId });
    const left = await t.cognito.send(new ListTermsCommand({ UserPoolId: poolId }));
    expect(left.Terms).toHaveLength(1);
  });
});

describe("terms documents survive a restart", () => {
  it("keeps them, ids and dates included", async () => {
    const dir = await mkdtemp(join(tmpdir(), "twin-terms-"));
    try {
      const a = await startTwin({ dataDir: dir });
      const poolId = ((await call(a.twin, "CreateUserPool", { PoolName: "p" })).body.UserPool as { Id: string }).Id;
      const clientId = (
        (await call(a.twin, "CreateUserPoolClient", { UserPoolId: poolId, ClientName: "c" })).body.UserPoolClient as {
          ClientId: string;
        }
      ).ClientId;
      const made = await call(a.twin, "CreateTerms", {
        UserPoolId: poolId,
        ClientId: clientId,
        TermsName: "privacy-policy",
        TermsSource: "LINK",
        Enforcement: "NONE",
        Links: TERMS,
      });
      await a.close();
      const b = await startTwin({ dataDir: dir });
      const termsId = (made.body.Terms as { TermsId: string }).TermsId;
      const described = await call(b.twin, "DescribeTerms", { UserPoolId: poolId, TermsId: termsId });
      await b.close();
      expect(described.body).toEqual(made.body);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the managed login sign-up page", () => {
  let h: Hosted;
  afterEach(async () => h?.close());

  const signUpUrl = (extra: Record<string, string> = {}) =>
    h.authorizeUrl(extra).replace("/oauth2/authorize", "/signup");

  async function addTerms(name: string, links: Record<string, string>) {
    await h.api("CreateTerms", {
      UserPoolId: h.poolId,
      ClientId: h.clientId,
      TermsName: name,
      TermsSource: "LINK",
      Enforcement: "NONE",
      Links: links,
    });
  }

  it("links both documents once both exist, in the page's language with the default as fallback", async () => {
    h = await hostedTwin();
    await h.api("UpdateUserPoolDomain", { UserPoolId: h.poolId, Domain: h.domain, ManagedLoginVersion: 2 });
    await addTerms("terms-of-use", TERMS);
    // Only one of the two: no links yet.
    let page = await h.browser().open(signUpUrl());
    expect(page.status).toBe(200);
    expect(page.body).not.toContain("example.com/terms");
    await addTerms("privacy-policy", { "cognito:default": "https://example.com/privacy" });
    page = await h.browser().open(signUpUrl());
    expect(page.body).toContain('href="https://example.com/terms"');
    expect(page.body).toContain('href="https://example.com/privacy"');
    expect(page.body).toContain("Terms of use");
    const spanish = await h.browser().open(signUpUrl({ lang: "es" }));
    expect(spanish.body).toContain('href="https://example.com/es/terms"');
    expect(spanish.body).toContain('href="https://example.com/privacy"');
    expect(spanish.body).toContain("Términos de uso");
  });

  it("the classic hosted UI shows no terms", async () => {
    h = await hostedTwin();
    await addTerms("terms-of-use", TERMS);
    await addTerms("privacy-policy", TERMS);
    const page = await h.browser().open(signUpUrl());
    expect(page.status).toBe(200);
    expect(page.body).not.toContain("example.com/terms");
  });
});
