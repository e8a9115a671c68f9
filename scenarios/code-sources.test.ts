import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { commandCodes, inboxCodes, noCodes, parseCodeSource, promptCodes } from "./code-sources.js";
import { type CodeRequest, SkipStep } from "./types.js";

const REQ: CodeRequest = {
  poolId: "eu-west-1_P",
  email: "someone@example.com",
  username: "sub-1",
  reason: "ForgotPassword",
};

async function skipReason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SkipStep) return e.message;
    throw e;
  }
  throw new Error("expected a skip");
}

describe("command code source", () => {
  it("runs the command with the request in its environment and takes the first 6-8 digit number", async () => {
    const src = commandCodes(
      `node -e "console.log('for ' + process.env.CODE_EMAIL + ' ' + process.env.CODE_USERNAME + ' ' + process.env.CODE_REASON + ' ' + process.env.COGNITO_USER_POOL_ID + ': 0042 then 987654')"`,
    );
    expect(await src.code(REQ)).toBe("987654");
    expect(src.automatic).toBe(true);
  });
  it("takes the trimmed output when there is no number", async () => {
    expect(await commandCodes(`node -e "console.log('  abc-code  ')"`).code(REQ)).toBe("abc-code");
  });
  it("skips with the reason when the command fails, prints nothing or hangs", async () => {
    expect(await skipReason(commandCodes(`node -e "console.error('mailbox empty'); process.exit(3)"`).code(REQ))).toBe(
      "code command exited with 3: mailbox empty",
    );
    expect(await skipReason(commandCodes(`node -e ""`).code(REQ))).toBe("code command printed no code");
    expect(await skipReason(commandCodes(`node -e "setTimeout(() => {}, 5000)"`, { timeoutMs: 300 }).code(REQ))).toBe(
      "code command gave no code within 0.3 s",
    );
  });
});

describe("prompt code source", () => {
  /** A terminal whose user types `answer` once the question is on the screen. */
  function tty(answer: string) {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const output = new PassThrough();
    const write = output.write.bind(output) as (...args: unknown[]) => boolean;
    output.write = ((chunk: unknown, ...rest: unknown[]) => {
      const written = write(chunk, ...rest);
      if (String(chunk).includes("(empty to skip): ")) process.nextTick(() => input.write(answer));
      return written;
    }) as typeof output.write;
    return { input, output };
  }
  it("asks at the terminal and returns the answer", async () => {
    const io = tty("654321\n");
    expect(await promptCodes(io).code(REQ)).toBe("654321");
    expect(String(io.output.read())).toContain("ForgotPassword code sent to someone@example.com (empty to skip): ");
  });
  it("skips on an empty answer or without a terminal", async () => {
    expect(await skipReason(promptCodes(tty("\n")).code(REQ))).toBe(
      "no ForgotPassword code entered for someone@example.com",
    );
    expect(await skipReason(promptCodes({ input: new PassThrough(), output: new PassThrough() }).code(REQ))).toBe(
      "--code-source prompt needs an interactive terminal",
    );
  });
});

describe("inbox and none", () => {
  it("reads the newest code of the reason; a resent code counts as a sign-up code", async () => {
    const seen: string[] = [];
    const fetchImpl = (async (url: string) => {
      seen.push(url);
      return Response.json({
        messages: [
          { username: "sub-1", reason: "SignUp", code: "111111" },
          { username: "sub-1", reason: "ResendCode", code: "222222" },
          { username: "sub-1", reason: "ForgotPassword", code: "333333" },
          { username: "sub-1", reason: "ForgotPassword", code: "444444" },
        ],
      });
    }) as typeof fetch;
    const src = inboxCodes("http://twin", fetchImpl);
    expect(await src.code(REQ)).toBe("444444");
    expect(await src.code({ ...REQ, reason: "SignUp" })).toBe("222222");
    expect(seen[0]).toBe("http://twin/_twin/messages?userPoolId=eu-west-1_P&username=sub-1");
  });
  it("fails when the inbox has no such code, and skips when there is no inbox", async () => {
    const empty = inboxCodes("http://twin", (async () => Response.json({ messages: [] })) as unknown as typeof fetch);
    await expect(empty.code(REQ)).rejects.toThrow(
      "the inbox holds no ForgotPassword code for someone@example.com in eu-west-1_P",
    );
    const none = inboxCodes("http://other", (async () => new Response("", { status: 404 })) as unknown as typeof fetch);
    expect(await skipReason(none.code(REQ))).toBe(
      "http://other has no /_twin/messages inbox to read ForgotPassword codes from",
    );
  });
  it("sends the control token it is given, and says when the emulator wants one", async () => {
    const seen: unknown[] = [];
    const fetchImpl = (async (_url: string, init?: RequestInit) => {
      seen.push(init?.headers);
      return Response.json({ messages: [{ username: "sub-1", reason: "ForgotPassword", code: "555555" }] });
    }) as typeof fetch;
    expect(await inboxCodes("http://twin", fetchImpl, { "x-twin-control-token": "t0k" }).code(REQ)).toBe("555555");
    expect(seen).toEqual([{ "x-twin-control-token": "t0k" }]);
    const locked = inboxCodes("http://twin", (async () =>
      Response.json({ message: "no token" }, { status: 401 })) as unknown as typeof fetch);
    await expect(locked.code(REQ)).rejects.toThrow(
      "http://twin wants its control token for /_twin/messages (HTTP 401): pass --control-token or set COGNITO_TWIN_CONTROL_TOKEN",
    );
  });
  it("none always skips", async () => {
    expect(await skipReason(noCodes("no way").code(REQ))).toBe("no way");
  });
  it("parses --code-source", () => {
    expect(parseCodeSource("prompt", {}).name).toBe("prompt");
    expect(parseCodeSource("command:./get-code.sh", {}).name).toBe("command:./get-code.sh");
    expect(parseCodeSource("none", {}).automatic).toBe(false);
    expect(() => parseCodeSource("command:", {})).toThrow(/--code-source must be/);
    expect(() => parseCodeSource("email", {})).toThrow(/--code-source must be/);
  });
});
