// User-pool domains end to end through SDK v3: CreateUserPoolDomain, DescribeUserPoolDomain,
// UpdateUserPoolDomain, DeleteUserPoolDomain, and what DescribeUserPool and DeleteUserPool make
// of them (docs/decisions/0015-domains-and-resource-servers.md).
import {
  CreateResourceServerCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  type CreateUserPoolDomainCommandInput,
  DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand,
  DescribeResourceServerCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  UpdateUserPoolCommand,
  UpdateUserPoolDomainCommand,
  type UserPoolTierType,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwin, type TestTwin } from "../../test-support/twin.js";

const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
const CLOUDFRONT = /^d[a-z0-9]{13}\.cloudfront\.net$/;

let t: TestTwin;
let poolId: string;
beforeAll(async () => {
  t = await startTwin({ accountId: "123456789012" });
  poolId = await newPool();
});
afterAll(() => t.close());

let serial = 0;
/** A name no other test uses (domain names are unique across the emulator). */
const unique = (base: string) => `${base}-${++serial}`;

async function newPool(tier?: UserPoolTierType): Promise<string> {
  const { UserPool } = await t.cognito.send(
    new CreateUserPoolCommand({ PoolName: "domains", ...(tier ? { UserPoolTier: tier } : {}) }),
  );
  return UserPool!.Id!;
}

/** CreateUserPoolDomain on the shared pool, which never gets a domain: for refusals. */
const create = (input: Partial<CreateUserPoolDomainCommandInput> & { Domain: string }) =>
  t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, ...input }));
/** A new pool with the prefix domain `domain`; answers the pool's id. */
async function poolWithDomain(domain: string): Promise<string> {
  const pool = await newPool();
  await t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: domain }));
  return pool;
}
const describeDomain = async (domain: string) =>
  (await t.cognito.send(new DescribeUserPoolDomainCommand({ Domain: domain }))).DomainDescription;
const describePool = async (id: string) =>
  (await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!;

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

const INVALID_CHARACTER =
  "The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$";

describe("CreateUserPoolDomain", () => {
  it("creates a prefix domain: hosted UI (classic) by default, no CloudFrontDomain, shown by DescribeUserPool", async () => {
    const pool = await newPool();
    const prefix = unique("myapp");
    const out = await t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: prefix }));
    expect(out.ManagedLoginVersion).toBe(1);
    expect(out.CloudFrontDomain).toBeUndefined();
    expect((await describePool(pool)).Domain).toBe(prefix);
    expect((await describePool(pool)).CustomDomain).toBeUndefined();
    // UpdateUserPool replaces settings, not the domain.
    await t.cognito.send(new UpdateUserPoolCommand({ UserPoolId: pool, MfaConfiguration: "OFF" }));
    expect((await describePool(pool)).Domain).toBe(prefix);
  });

  it("creates a custom domain with its certificate: CloudFrontDomain answered, CustomDomain shown", async () => {
    const pool = await newPool();
    const name = `${unique("auth")}.example.com`;
    const out = await t.cognito.send(
      new CreateUserPoolDomainCommand({
        UserPoolId: pool,
        Domain: name,
        CustomDomainConfig: { CertificateArn: CERT },
        ManagedLoginVersion: 2,
      }),
    );
    expect(out.ManagedLoginVersion).toBe(2);
    expect(out.CloudFrontDomain).toMatch(CLOUDFRONT);
    expect((await describePool(pool)).CustomDomain).toBe(name);
    expect((await describePool(pool)).Domain).toBeUndefined();
  });

  it("lets a pool have one prefix domain and one custom domain, not two of a kind", async () => {
    const pool = await newPool();
    const prefix = unique("both");
    const custom = `${unique("login")}.example.org`;
    await t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: prefix }));
    await t.cognito.send(
      new CreateUserPoolDomainCommand({
        UserPoolId: pool,
        Domain: custom,
        CustomDomainConfig: { CertificateArn: CERT },
      }),
    );
    expect(await describePool(pool)).toMatchObject({ Domain: prefix, CustomDomain: custom });
    await expectError(
      t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: unique("second") })),
      "InvalidParameterException",
      "User pool already has a domain configured.",
    );
    await expectError(
      t.cognito.send(
        new CreateUserPoolDomainCommand({
          UserPoolId: pool,
          Domain: `${unique("other")}.example.org`,
          CustomDomainConfig: { CertificateArn: CERT },
        }),
      ),
      "InvalidParameterException",
      "User pool already has a domain configured.",
    );
    // The same name again in its own pool is the same refusal.
    await expectError(
      t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: prefix })),
      "InvalidParameterException",
      "User pool already has a domain configured.",
    );
  });

  it("refuses a name another pool has, prefix or custom", async () => {
    const prefix = unique("taken");
    const custom = `${unique("sso")}.example.net`;
    await poolWithDomain(prefix);
    const other = await newPool();
    await expectError(
      t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: other, Domain: prefix })),
      "InvalidParameterException",
      "Domain already associated with another user pool.",
    );
    const third = await newPool();
    await t.cognito.send(
      new CreateUserPoolDomainCommand({
        UserPoolId: third,
        Domain: custom,
        CustomDomainConfig: { CertificateArn: CERT },
      }),
    );
    await expectError(
      t.cognito.send(
        new CreateUserPoolDomainCommand({
          UserPoolId: other,
          Domain: custom,
          CustomDomainConfig: { CertificateArn: CERT },
        }),
      ),
      "InvalidParameterException",
      "Domain already associated with another user pool.",
    );
  });

  it("refuses prefixes outside [a-z0-9-], with a hyphen at either end, or with dots but no certificate", async () => {
    for (const bad of ["MyApp", "-myapp", "myapp-", "my_app", "my app", "auth.example.com"]) {
      await expectError(create({ Domain: bad }), "InvalidParameterException", INVALID_CHARACTER);
    }
  });

  it("refuses the reserved words aws, amazon and cognito as words of a prefix, not inside longer words", async () => {
    await expectError(
      create({ Domain: "my-aws-app" }),
      "InvalidParameterException",
      "Domain cannot contain reserved word: aws",
    );
    await expectError(
      create({ Domain: "amazon" }),
      "InvalidParameterException",
      "Domain cannot contain reserved word: amazon",
    );
    await expectError(
      create({ Domain: "login-cognito" }),
      "InvalidParameterException",
      "Domain cannot contain reserved word: cognito",
    );
    // AWS's own example prefix is `cognitoexample`.
    const pool = await newPool();
    await t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: unique("cognitoexample") }));
    const another = await newPool();
    await t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: another, Domain: unique("awesome") }));
  });

  it("refuses a custom domain that is not a fully qualified lower-case name", async () => {
    await expectError(
      create({ Domain: "intranet", CustomDomainConfig: { CertificateArn: CERT } }),
      "InvalidParameterException",
      "Custom domain intranet must be a fully qualified domain name, such as auth.example.com.",
    );
    await expectError(
      create({ Domain: "Auth.Example.com", CustomDomainConfig: { CertificateArn: CERT } }),
      "InvalidParameterException",
      INVALID_CHARACTER,
    );
    await expectError(
      create({ Domain: "auth..example.com", CustomDomainConfig: { CertificateArn: CERT } }),
      "InvalidParameterException",
      INVALID_CHARACTER,
    );
  });

  it("takes ManagedLoginVersion 1 or 2 only, and 2 not on the Lite feature plan", async () => {
    await expectError(
      create({ Domain: unique("version"), ManagedLoginVersion: 3 }),
      "InvalidParameterException",
      "ManagedLoginVersion 3 is not valid: use 1 (hosted UI classic) or 2 (managed login).",
    );
    const lite = await newPool("LITE");
    await expectError(
      t.cognito.send(
        new CreateUserPoolDomainCommand({ UserPoolId: lite, Domain: unique("lite"), ManagedLoginVersion: 2 }),
      ),
      "FeatureUnavailableInTierException",
      "The following features need to be disabled for the LITE pricing tier configured: Managed Login",
    );
    const out = await t.cognito.send(
      new CreateUserPoolDomainCommand({ UserPoolId: lite, Domain: unique("lite"), ManagedLoginVersion: 1 }),
    );
    expect(out.ManagedLoginVersion).toBe(1);
  });

  it("answers ResourceNotFoundException for an unknown pool, and the model's errors before any check", async () => {
    await expectError(
      t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: "us-east-1_NotAPool0", Domain: unique("nopool") })),
      "ResourceNotFoundException",
      "User pool us-east-1_NotAPool0 does not exist.",
    );
    await expectError(
      create({ Domain: "a".repeat(64) }),
      "InvalidParameterException",
      /^1 validation error detected: Value '.*' at 'domain' failed to satisfy constraint: Member must have length less than or equal to 63$/,
    );
    await expectError(
      create({ Domain: unique("nocert"), CustomDomainConfig: {} as { CertificateArn: string } }),
      "InvalidParameterException",
      "1 validation error detected: Value null at 'customDomainConfig.certificateArn' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe("DescribeUserPoolDomain", () => {
  it("describes a prefix domain as Cognito does", async () => {
    const prefix = unique("described");
    const owner = await poolWithDomain(prefix);
    const d = await describeDomain(prefix);
    expect(d).toEqual({
      UserPoolId: owner,
      AWSAccountId: "123456789012",
      Domain: prefix,
      S3Bucket: "aws-cognito-prod-iad-assets",
      CloudFrontDistribution: expect.stringMatching(CLOUDFRONT),
      Version: expect.stringMatching(/^\d{14}$/),
      Status: "ACTIVE",
      ManagedLoginVersion: 1,
    });
    // Prefix domains of a region share their CloudFront distribution.
    const other = unique("neighbour");
    await poolWithDomain(other);
    expect((await describeDomain(other))!.CloudFrontDistribution).toBe(d!.CloudFrontDistribution);
  });

  it("describes a custom domain with its certificate and its own distribution", async () => {
    const pool = await newPool();
    const name = `${unique("id")}.example.com`;
    const created = await t.cognito.send(
      new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: name, CustomDomainConfig: { CertificateArn: CERT } }),
    );
    const d = await describeDomain(name);
    expect(d).toMatchObject({
      UserPoolId: pool,
      Domain: name,
      Status: "ACTIVE",
      CustomDomainConfig: { CertificateArn: CERT },
      CloudFrontDistribution: created.CloudFrontDomain,
      ManagedLoginVersion: 1,
    });
    expect(d!.S3Bucket).toBeUndefined();
  });

  it("answers an empty DomainDescription for a domain nobody has", async () => {
    expect(await describeDomain("nobody-has-this")).toEqual({});
    expect(await describeDomain("no.such.example.com")).toEqual({});
  });
});

describe("UpdateUserPoolDomain", () => {
  it("changes the branding version and keeps what the request leaves out", async () => {
    const prefix = unique("brand");
    const pool = await poolWithDomain(prefix);
    const out = await t.cognito.send(
      new UpdateUserPoolDomainCommand({ UserPoolId: pool, Domain: prefix, ManagedLoginVersion: 2 }),
    );
    expect(out.ManagedLoginVersion).toBe(2);
    expect(out.CloudFrontDomain).toBeUndefined();
    expect((await describeDomain(prefix))!.ManagedLoginVersion).toBe(2);
    const again = await t.cognito.send(new UpdateUserPoolDomainCommand({ UserPoolId: pool, Domain: prefix }));
    expect(again.ManagedLoginVersion).toBe(2);
    await expectError(
      t.cognito.send(new UpdateUserPoolDomainCommand({ UserPoolId: pool, Domain: prefix, ManagedLoginVersion: 0 })),
      "InvalidParameterException",
      /ManagedLoginVersion 0 is not valid/,
    );
    await expectError(
      t.cognito.send(
        new UpdateUserPoolDomainCommand({
          UserPoolId: pool,
          Domain: prefix,
          CustomDomainConfig: { CertificateArn: CERT },
        }),
      ),
      "InvalidParameterException",
      "CustomDomainConfig can only be set for a custom domain.",
    );
  });

  it("replaces a custom domain's certificate", async () => {
    const pool = await newPool();
    const name = `${unique("cert")}.example.com`;
    const created = await t.cognito.send(
      new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: name, CustomDomainConfig: { CertificateArn: CERT } }),
    );
    const renewed = CERT.replace("EXAMPLE11111", "EXAMPLE22222");
    const out = await t.cognito.send(
      new UpdateUserPoolDomainCommand({
        UserPoolId: pool,
        Domain: name,
        CustomDomainConfig: { CertificateArn: renewed },
      }),
    );
    expect(out).toMatchObject({ ManagedLoginVersion: 1, CloudFrontDomain: created.CloudFrontDomain });
    expect((await describeDomain(name))!.CustomDomainConfig).toEqual({ CertificateArn: renewed });
  });

  it("refuses version 2 on a Lite pool", async () => {
    const lite = await newPool("LITE");
    const prefix = unique("lite-update");
    await t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: lite, Domain: prefix }));
    await expectError(
      t.cognito.send(new UpdateUserPoolDomainCommand({ UserPoolId: lite, Domain: prefix, ManagedLoginVersion: 2 })),
      "FeatureUnavailableInTierException",
    );
  });

  it("answers 'No such domain or user pool exists.' for an unknown domain or another pool's", async () => {
    const prefix = unique("mine");
    const pool = await poolWithDomain(prefix);
    const other = await newPool();
    for (const input of [
      { UserPoolId: other, Domain: prefix },
      { UserPoolId: pool, Domain: unique("unknown") },
      { UserPoolId: "us-east-1_NotAPool0", Domain: prefix },
    ]) {
      await expectError(
        t.cognito.send(new UpdateUserPoolDomainCommand({ ...input, ManagedLoginVersion: 2 })),
        "InvalidParameterException",
        "No such domain or user pool exists.",
      );
    }
    expect((await describeDomain(prefix))!.ManagedLoginVersion).toBe(1);
  });
});

describe("DeleteUserPoolDomain", () => {
  it("deletes the domain: described as empty, gone from DescribeUserPool, the name free again", async () => {
    const pool = await newPool();
    const prefix = unique("short-lived");
    const custom = `${unique("gone")}.example.com`;
    await t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: prefix }));
    await t.cognito.send(
      new CreateUserPoolDomainCommand({
        UserPoolId: pool,
        Domain: custom,
        CustomDomainConfig: { CertificateArn: CERT },
      }),
    );
    await t.cognito.send(new DeleteUserPoolDomainCommand({ UserPoolId: pool, Domain: prefix }));
    expect(await describeDomain(prefix)).toEqual({});
    const described = await describePool(pool);
    expect(described.Domain).toBeUndefined();
    expect(described.CustomDomain).toBe(custom);
    await t.cognito.send(new DeleteUserPoolDomainCommand({ UserPoolId: pool, Domain: custom }));
    expect((await describePool(pool)).CustomDomain).toBeUndefined();
    const other = await newPool();
    await t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: other, Domain: prefix }));
    expect((await describeDomain(prefix))!.UserPoolId).toBe(other);
  });

  it("requires the domain to be the named pool's", async () => {
    const prefix = unique("kept");
    const pool = await poolWithDomain(prefix);
    const other = await newPool();
    await expectError(
      t.cognito.send(new DeleteUserPoolDomainCommand({ UserPoolId: other, Domain: prefix })),
      "InvalidParameterException",
      "No such domain or user pool exists.",
    );
    await expectError(
      t.cognito.send(new DeleteUserPoolDomainCommand({ UserPoolId: pool, Domain: unique("never") })),
      "InvalidParameterException",
      "No such domain or user pool exists.",
    );
    expect((await describeDomain(prefix))!.UserPoolId).toBe(pool);
  });
});

describe("DeleteUserPool with a domain", () => {
  it("is refused until the domain is deleted, as in AWS's DeleteUserPool example", async () => {
    const pool = await newPool();
    const prefix = unique("blocking");
    await t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: prefix }));
    await expectError(
      t.cognito.send(new DeleteUserPoolCommand({ UserPoolId: pool })),
      "InvalidParameterException",
      "User pool cannot be deleted. It has a domain configured that should be deleted first.",
    );
    await t.cognito.send(new DeleteUserPoolDomainCommand({ UserPoolId: pool, Domain: prefix }));
    await t.cognito.send(new DeleteUserPoolCommand({ UserPoolId: pool }));
    await expectError(t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool })), "ResourceNotFoundException");
  });
});

describe("state documents", () => {
  it("carry a pool's domains and resource servers to another emulator", async () => {
    const pool = await newPool();
    const prefix = unique("exported");
    const custom = `${unique("exported")}.example.com`;
    await t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: prefix, ManagedLoginVersion: 2 }));
    await t.cognito.send(
      new CreateUserPoolDomainCommand({
        UserPoolId: pool,
        Domain: custom,
        CustomDomainConfig: { CertificateArn: CERT },
      }),
    );
    const server = { UserPoolId: pool, Identifier: "exported-api", Name: "api" };
    await t.cognito.send(
      new CreateResourceServerCommand({ ...server, Scopes: [{ ScopeName: "read", ScopeDescription: "read" }] }),
    );
    const doc = await (await fetch(`${t.url}/_twin/state`)).text();
    const copy = await startTwin({ accountId: "123456789012" });
    try {
      const res = await fetch(`${copy.url}/_twin/state`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: doc,
      });
      expect(res.status).toBe(200);
      for (const name of [prefix, custom]) {
        const there = await copy.cognito.send(new DescribeUserPoolDomainCommand({ Domain: name }));
        expect(there.DomainDescription).toEqual(await describeDomain(name));
      }
      const rs = await copy.cognito.send(new DescribeResourceServerCommand(server));
      expect(rs.ResourceServer!.Scopes).toEqual([{ ScopeName: "read", ScopeDescription: "read" }]);
      expect((await copy.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool }))).UserPool).toMatchObject({
        Domain: prefix,
        CustomDomain: custom,
      });
    } finally {
      await copy.close();
    }
  });
});
