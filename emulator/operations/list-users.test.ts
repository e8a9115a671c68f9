// ListUsers through SDK v3: every searchable attribute, exact and prefix filters, pagination,
// AttributesToGet, Cognito's validation messages, and the indexes behind exact filters.
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  ListUsersCommand,
  type ListUsersCommandInput,
  type ListUsersCommandOutput,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createClient, createPool, createUser, PASSWORD } from "../../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
let poolId: string;
let subOfAnna: string;

beforeAll(async () => {
  t = await startTwin();
  poolId = await createPool(t, { Schema: [{ Name: "tier", AttributeDataType: "String", Mutable: true }] });
  const { clientId } = await createClient(t, poolId);
  const people: [string, Record<string, string>][] = [
    [
      "Anna",
      {
        email: "Anna@Example.com",
        email_verified: "true",
        given_name: "Anna",
        family_name: "Smith",
        name: "Anna Smith",
        phone_number: "+15550001111",
        preferred_username: "annie",
      },
    ],
    ["anton", { email: "anton@example.com", given_name: "Anton", family_name: "Smithers", name: "Anton Smithers" }],
    [
      "bert",
      {
        email: "bert@other.org",
        given_name: "Bert",
        family_name: "Jones",
        phone_number: "+15550002222",
        "custom:tier": "gold",
      },
    ],
  ];
  for (const [username, attributes] of people) await createUser(t, poolId, username, { attributes });
  await t.cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: "carla",
      MessageAction: "SUPPRESS",
      UserAttributes: [{ Name: "email", Value: "carla@example.com" }],
    }),
  );
  await t.cognito.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: "dan",
      Password: PASSWORD,
      UserAttributes: [{ Name: "email", Value: "dan@example.com" }],
    }),
  );
  await t.cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: "bert" }));
  const all = await list({});
  subOfAnna = all.Users!.find((u) => u.Username === "Anna")!.Attributes!.find((a) => a.Name === "sub")!.Value!;
});
afterAll(() => t.close());

function list(input: Omit<ListUsersCommandInput, "UserPoolId">): Promise<ListUsersCommandOutput> {
  return t.cognito.send(new ListUsersCommand({ UserPoolId: poolId, ...input }));
}
async function names(filter: string): Promise<string[]> {
  return (await list({ Filter: filter })).Users!.map((u) => u.Username!).sort();
}

describe("ListUsers filters", () => {
  it("lists everyone without a filter, in the UserType shape", async () => {
    const out = await list({});
    expect(out.Users!.map((u) => u.Username)).toEqual(["Anna", "anton", "bert", "carla", "dan"]);
    expect(out.PaginationToken).toBeUndefined();
    const bert = out.Users!.find((u) => u.Username === "bert")!;
    expect(bert).toMatchObject({ Enabled: false, UserStatus: "CONFIRMED" });
    expect(bert.UserCreateDate).toBeInstanceOf(Date);
    expect(bert.UserLastModifiedDate).toBeInstanceOf(Date);
    expect(await names("  ")).toHaveLength(5);
  });

  it("filters on each searchable attribute, exactly and by prefix", async () => {
    expect(await names('email = "anna@example.com"')).toEqual(["Anna"]);
    expect(await names('email ^= "an"')).toEqual(["Anna", "anton"]);
    expect(await names('phone_number = "+15550002222"')).toEqual(["bert"]);
    expect(await names('phone_number ^= "+1555000"')).toEqual(["Anna", "bert"]);
    expect(await names('name = "anton smithers"')).toEqual(["anton"]);
    expect(await names('given_name ^= "B"')).toEqual(["bert"]);
    expect(await names('family_name ^= "Smith"')).toEqual(["Anna", "anton"]);
    expect(await names('family_name = "Smith"')).toEqual(["Anna"]);
    expect(await names('preferred_username = "ANNIE"')).toEqual(["Anna"]);
    expect(await names('username = "anna"')).toEqual(["Anna"]);
    expect(await names('username ^= "an"')).toEqual(["Anna", "anton"]);
    expect(await names(`sub = "${subOfAnna}"`)).toEqual(["Anna"]);
    expect(await names(`sub ^= "${subOfAnna.slice(0, 8)}"`)).toEqual(["Anna"]);
    expect(await names('status = "Disabled"')).toEqual(["bert"]);
    expect(await names('status = "Enabled"')).toEqual(["Anna", "anton", "carla", "dan"]);
    expect(await names('cognito:user_status = "FORCE_CHANGE_PASSWORD"')).toEqual(["carla"]);
    expect(await names('cognito:user_status = "unconfirmed"')).toEqual(["dan"]);
    expect(await names('email = "nobody@example.com"')).toEqual([]);
    expect(await names('family_name = ""')).toEqual([]);
  });

  it("refuses malformed filters and unsearchable attributes with Cognito's messages", async () => {
    for (const filter of ["email = anna@example.com", "email=", 'email != "x"', 'email = "x" or name = "y"']) {
      await expect(list({ Filter: filter })).rejects.toMatchObject({
        name: "InvalidParameterException",
        message: "Error while parsing filter.",
      });
    }
    await expect(list({ Filter: 'custom:tier = "gold"' })).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Invalid search attribute: custom:tier",
    });
    await expect(list({ Filter: `email = "${"x".repeat(250)}"` })).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: expect.stringMatching(
        /^1 validation error detected: Value '.*' at 'filter' failed to satisfy constraint: Member must have length less than or equal to 256$/,
      ),
    });
  });
});

describe("ListUsers pages and attributes", () => {
  it("pages with Limit and PaginationToken until the token runs out", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await list({ Limit: 2, ...(token ? { PaginationToken: token } : {}) });
      expect(out.Users!.length).toBeLessThanOrEqual(2);
      seen.push(...out.Users!.map((u) => u.Username!));
      token = out.PaginationToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual(["Anna", "anton", "bert", "carla", "dan"]);
  });

  it("pages filtered results too, and survives the deletion of the user a token names", async () => {
    const first = await list({ Filter: 'email ^= "a"', Limit: 1 });
    expect(first.Users!.map((u) => u.Username)).toEqual(["Anna"]);
    const second = await list({ Filter: 'email ^= "a"', Limit: 1, PaginationToken: first.PaginationToken! });
    expect(second.Users!.map((u) => u.Username)).toEqual(["anton"]);
    expect(second.PaginationToken).toBeUndefined();

    await createUser(t, poolId, "zed-1", { attributes: { email: "zed1@example.com" } });
    await createUser(t, poolId, "zed-2", { attributes: { email: "zed2@example.com" } });
    const page = await list({ Filter: 'email ^= "zed"', Limit: 1 });
    expect(page.Users!.map((u) => u.Username)).toEqual(["zed-1"]);
    t.twin.services.store.deleteUser(t.twin.services.store.getUser(poolId, "zed-1")!);
    const rest = await list({ Filter: 'email ^= "zed"', Limit: 1, PaginationToken: page.PaginationToken! });
    expect(rest.Users!.map((u) => u.Username)).toEqual(["zed-2"]);
  });

  it("validates Limit and the pagination token", async () => {
    await expect(list({ Limit: 61 })).rejects.toMatchObject({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
    });
    await expect(list({ PaginationToken: "garbage" })).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Invalid pagination token.",
    });
    expect((await list({ Limit: 0 })).Users!.length).toBeGreaterThan(0);
  });

  it("answers only the attributes asked for", async () => {
    const out = await list({ Filter: 'username = "bert"', AttributesToGet: ["email", "custom:tier"] });
    expect(out.Users![0]!.Attributes).toEqual([
      { Name: "email", Value: "bert@other.org" },
      { Name: "custom:tier", Value: "gold" },
    ]);
    expect((await list({ Filter: 'username = "bert"', AttributesToGet: [] })).Users![0]!.Attributes).toEqual([]);
    await expect(list({ AttributesToGet: ["custom:nope"] })).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "One or more requested attributes do not exist.",
    });
  });

  it("answers ResourceNotFoundException for an unknown pool", async () => {
    await expect(t.cognito.send(new ListUsersCommand({ UserPoolId: "us-east-1_nothere" }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_nothere does not exist.",
    });
  });
});

describe("ListUsers indexes", () => {
  it("answers exact filters on username, sub, email, phone_number and preferred_username without reading every user", async () => {
    const scan = vi.spyOn(t.twin.services.store, "listUsers");
    try {
      for (const filter of [
        'username = "anna"',
        `sub = "${subOfAnna}"`,
        'email = "anna@example.com"',
        'phone_number = "+15550001111"',
        'preferred_username = "annie"',
      ]) {
        expect(await names(filter)).toEqual(["Anna"]);
      }
      expect(scan).not.toHaveBeenCalled();
      await names('email ^= "anna"');
      expect(scan).toHaveBeenCalledTimes(1);
    } finally {
      scan.mockRestore();
    }
  });
});
