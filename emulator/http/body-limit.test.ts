// The body limit over a real socket, both ways a client can send a body: with Content-Length
// (checked from the header) and chunked (counted while read).
import * as http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeSigV4, startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
beforeAll(async () => {
  t = await startTwin({ maxBodyBytes: 1024 });
});
afterAll(() => t.close());

function post(body: string, chunked: boolean): Promise<{ status: number; json: Record<string, unknown> }> {
  const url = new URL(t.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        hostname: url.hostname,
        port: url.port,
        method: "POST",
        path: "/",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "AWSCognitoIdentityProviderService.ListUserPools",
          authorization: fakeSigV4(),
          ...(chunked ? { "transfer-encoding": "chunked" } : { "content-length": Buffer.byteLength(body) }),
        },
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }),
        );
      },
    );
    req.on("error", reject);
    if (chunked) {
      // Several chunks, so the limit is crossed part-way through the stream.
      for (let i = 0; i < body.length; i += 300) req.write(body.slice(i, i + 300));
      req.end();
    } else req.end(body);
  });
}

const small = JSON.stringify({ MaxResults: 10 });
const large = JSON.stringify({ MaxResults: 10, NextToken: "x".repeat(2000) });

describe("the request body limit", () => {
  it("serves bodies within the limit, with or without Content-Length", async () => {
    expect(await post(small, false)).toMatchObject({ status: 200, json: { UserPools: [] } });
    expect(await post(small, true)).toMatchObject({ status: 200, json: { UserPools: [] } });
  });

  it("refuses a larger body declared by Content-Length", async () => {
    const res = await post(large, false);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      __type: "InvalidParameterException",
      message: "Request body exceeds the limit of 1024 bytes.",
    });
  });

  it("refuses a larger chunked body", async () => {
    const res = await post(large, true);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      __type: "InvalidParameterException",
      message: "Request body exceeds the limit of 1024 bytes.",
    });
  });
});
