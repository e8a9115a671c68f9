// The OAuth endpoints' memory: codes are single use and expire, everything is bounded and
// expires by the emulator's clock, and reset forgets it all.
import { describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { AdjustableClock } from "../core/clock.js";
import { OAuthSessions } from "./oauth-sessions.js";

const grant = { poolId: "p", clientId: "c", sub: "s", redirectUri: "https://a/cb", scopes: ["openid"], authTime: 1 };

describe("OAuthSessions", () => {
  it("redeems a code once, and not after five minutes", () => {
    const clock = new AdjustableClock({ now: () => 1_000_000 });
    const oauth = new OAuthSessions(clock);
    const a = oauth.issueCode(grant);
    expect(oauth.redeemCode(a.code)?.sub).toBe("s");
    expect(oauth.redeemCode(a.code)).toBeUndefined();
    const b = oauth.issueCode(grant);
    clock.advance(300);
    expect(oauth.redeemCode(b.code)).toBeUndefined();
  });

  it("ends managed login sessions after an hour and sign-ins in progress after fifteen minutes", () => {
    const clock = new AdjustableClock({ now: () => 1_000_000 });
    const oauth = new OAuthSessions(clock);
    const session = oauth.openSession("p", "s", 1);
    const flow = oauth.startFlow({
      poolId: "p",
      clientId: "c",
      browser: "b",
      kind: "challenge",
      username: "u",
      data: {},
    });
    clock.advance(15 * 60 - 1);
    expect(oauth.flow(flow.id)).toBeDefined();
    expect(oauth.updateFlow(flow.id, { secret: "x" })?.data.secret).toBe("x");
    clock.advance(1);
    expect(oauth.flow(flow.id)).toBeUndefined();
    expect(oauth.session(session.id)).toBeDefined();
    clock.advance(45 * 60);
    expect(oauth.session(session.id)).toBeUndefined();
  });

  it("holds at most its limit of each, dropping expired entries first, then the oldest", () => {
    const clock = new AdjustableClock({ now: () => 1_000_000 });
    const oauth = new OAuthSessions(clock, { codes: 3, sessions: 2, flows: 2 });
    const codes = [oauth.issueCode(grant), oauth.issueCode(grant), oauth.issueCode(grant)];
    oauth.issueCode(grant);
    expect(oauth.sizes.codes).toBe(3);
    expect(oauth.redeemCode(codes[0]!.code)).toBeUndefined();
    expect(oauth.redeemCode(codes[1]!.code)).toBeDefined();
    for (let i = 0; i < 5; i++) oauth.openSession("p", `s${i}`, 1);
    expect(oauth.sizes.sessions).toBe(2);
    oauth.clear();
    expect(oauth.sizes).toEqual({ codes: 0, sessions: 0, flows: 0, upstream: 0 });
  });

  it("answers an upstream sign-in once, for five minutes, and bounds how many it holds", () => {
    const clock = new AdjustableClock({ now: () => 1_000_000 });
    const oauth = new OAuthSessions(clock, { codes: 1, sessions: 1, flows: 1, upstream: 2 });
    const flow = (state: string) => ({
      state,
      poolId: "p",
      clientId: "c",
      browser: "b",
      provider: "Okta",
      query: "client_id=c",
      domainBase: "http://localhost/_domain/x",
      nonce: "n",
      data: {},
    });
    oauth.startUpstream(flow("s1"));
    expect(oauth.takeUpstream("s1")?.provider).toBe("Okta");
    expect(oauth.takeUpstream("s1")).toBeUndefined();
    oauth.startUpstream(flow("s2"));
    clock.advance(5 * 60 - 1);
    expect(oauth.takeUpstream("s2")).toBeDefined();
    oauth.startUpstream(flow("s3"));
    clock.advance(5 * 60);
    expect(oauth.takeUpstream("s3")).toBeUndefined();
    for (const s of ["a", "b", "c"]) oauth.startUpstream(flow(s));
    expect(oauth.sizes.upstream).toBe(2);
    expect(oauth.takeUpstream("a")).toBeUndefined();
    expect(oauth.takeUpstream("c")).toBeDefined();
  });

  it("is emptied by the emulator's reset", async () => {
    const twin = await createApp({ logLevel: "silent" });
    twin.services.oauth.issueCode(grant);
    twin.services.oauth.openSession("p", "s", 1);
    await twin.reset();
    expect(twin.services.oauth.sizes).toEqual({ codes: 0, sessions: 0, flows: 0, upstream: 0 });
    await twin.close();
  });
});
