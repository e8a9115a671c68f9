import { describe, expect, it } from "vitest";
import { CognitoError } from "../core/errors.js";
import { paginate } from "./paginate.js";

const id = (s: string) => s;

describe("paginate", () => {
  it("walks every item once across pages", () => {
    const all = ["a", "b", "c", "d", "e"];
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = paginate(all, id, 2, token);
      seen.push(...page.items);
      token = page.nextToken;
    } while (token);
    expect(seen).toEqual(all);
  });

  it("continues after a deleted item without skipping or repeating", () => {
    const first = paginate(["a", "b", "c", "d"], id, 2);
    expect(first.items).toEqual(["a", "b"]);
    // "b", the item the token names, is deleted before the next call.
    expect(paginate(["a", "c", "d"], id, 2, first.nextToken).items).toEqual(["c", "d"]);
    // An item is added before it: the token still finds "b".
    expect(paginate(["z", "a", "b", "c", "d"], id, 2, first.nextToken).items).toEqual(["c", "d"]);
  });

  it("refuses a token it did not write", () => {
    expect(() => paginate(["a"], id, 1, "bm9wZQ")).toThrow(CognitoError);
  });
});
