// The web console's faults page in-process: the rules with their fire counts, adding one from the
// form or as JSON (a bad one refused with its field, the form kept), removing one or all, the
// quota mode's table, and the console's own rule of same-origin POSTs.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { call } from "../../../test-support/twin.js";
import { createApp, type TwinApp } from "../../app.js";

const SAME_ORIGIN = { origin: "http://localhost", "sec-fetch-site": "same-origin" };

let twin: TwinApp;
beforeEach(async () => {
  twin = await createApp({ logLevel: "silent" });
});
afterEach(() => twin.close());

async function page(path = "/_twin/ui/faults") {
  const res = await twin.app.request(path);
  return { status: res.status, html: await res.text() };
}

async function post(path: string, fields: Record<string, string>, headers: Record<string, string> = SAME_ORIGIN) {
  return twin.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

describe("the console's faults page", () => {
  it("is in the nav and says when no rule is set; the quota mode is off", async () => {
    const { status, html } = await page();
    expect(status).toBe(200);
    expect(html).toContain('href="/_twin/ui/faults" aria-current="page"');
    expect(html).toContain("No fault rules are set.");
    expect(html).toContain("--quotas aws");
  });

  it("adds a rule from the form fields, and lists it with how often it fired", async () => {
    const res = await post("/_twin/ui/faults", {
      operation: "ListUserPools",
      action: "error",
      error: "InternalErrorException",
      count: "1",
      latencyMs: "",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(/^\/_twin\/ui\/faults\?notice=Set%20the%20rule%20fault-1/);
    expect(twin.faults.list()).toEqual([
      expect.objectContaining({ id: "fault-1", operation: "ListUserPools", error: "InternalErrorException", count: 1 }),
    ]);
    expect((await call(twin, "ListUserPools", { MaxResults: 1 })).status).toBe(500);
    const { html } = await page("/_twin/ui/faults?notice=Set%20the%20rule%20fault-1.");
    expect(html).toContain("Set the rule fault-1.");
    expect(html).toContain("error InternalErrorException");
    expect(html).toMatch(/1 <span class="badge">spent<\/span>/);
  });

  it("adds a rule pasted as JSON", async () => {
    const json = JSON.stringify({ id: "j", path: "/oauth2/token", action: "throttle", forSeconds: 60 });
    expect((await post("/_twin/ui/faults", { json, operation: "ignored" })).status).toBe(303);
    expect(twin.faults.get("j")).toMatchObject({ path: "/oauth2/token", action: "throttle" });
  });

  it("refuses a bad rule with 400 naming the field, keeps what was typed, and sets nothing", async () => {
    const res = await post("/_twin/ui/faults", { operation: "GetUser", action: "delay", latencyMs: "-5" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("latencyMs: latencyMs must be a whole number of milliseconds from 0 to 60000, not -5");
    expect(html).toContain('value="GetUser"');
    expect(twin.faults.list()).toEqual([]);
    const badJson = await post("/_twin/ui/faults", { json: "{nope" });
    expect(badJson.status).toBe(400);
    expect(await badJson.text()).toContain("json: the JSON rule is not valid JSON");
  });

  it("values are escaped on the page", async () => {
    twin.faults.add({ operation: "GetUser", action: "throttle", message: "<script>alert(1)</script>" });
    const { html } = await page();
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;");
  });

  it("removes one rule, then all", async () => {
    twin.faults.addAll([
      { id: "a", operation: "GetUser", action: "throttle" },
      { id: "b", operation: "ListUsers", action: "drop" },
      { id: "c", operation: "ListGroups", action: "http503" },
    ]);
    const one = await post("/_twin/ui/faults/remove", { id: "a" });
    expect(one.status).toBe(303);
    expect(decodeURIComponent(one.headers.get("location")!)).toContain("Removed a.");
    expect(twin.faults.list().map((r) => r.id)).toEqual(["b", "c"]);
    const all = await post("/_twin/ui/faults/remove", { all: "1" });
    expect(decodeURIComponent(all.headers.get("location")!)).toContain("Removed 2 rules.");
    expect(twin.faults.list()).toEqual([]);
  });

  it("refuses POSTs from another origin (403), as every console form", async () => {
    const res = await post(
      "/_twin/ui/faults",
      { operation: "GetUser", action: "throttle" },
      { origin: "http://evil.example" },
    );
    expect(res.status).toBe(403);
    expect(twin.faults.list()).toEqual([]);
  });

  it("shows the quota mode's rates and refusals when it is on", async () => {
    const limited = await createApp({ logLevel: "silent", quotas: { UserPoolRead: 1 } });
    try {
      await call(limited, "ListUserPools", { MaxResults: 1 });
      await call(limited, "ListUserPools", { MaxResults: 1 });
      const html = await (await limited.app.request("/_twin/ui/faults")).text();
      expect(html).toMatch(/<td>UserPoolRead<\/td><td>1<\/td><td>1<\/td>/);
      expect(html).toMatch(/<td>UserAuthentication<\/td><td>120<\/td><td>0<\/td>/);
    } finally {
      await limited.close();
    }
  });
});
