// The heap flags change V8's behaviour for the rest of the process, so they are tried in a child.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

function newSpaceAfterChurn(tune: boolean): number {
  const code = `
    import { getHeapSpaceStatistics } from "node:v8";
    ${tune ? 'const { tuneHeapForServer } = await import("./emulator/heap.ts"); tuneHeapForServer();' : ""}
    let keep = [];
    for (let i = 0; i < 1_000_000; i++) { keep.push({ i, s: "x" + i }); if (keep.length > 20_000) keep = []; }
    process.stdout.write(String(getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size));
  `;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return Number(r.stdout);
}

describe("tuneHeapForServer", () => {
  it("keeps the young generation from growing under allocation churn", () => {
    const untuned = newSpaceAfterChurn(false);
    const tuned = newSpaceAfterChurn(true);
    expect(tuned).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(untuned).toBeGreaterThan(tuned);
  }, 30_000);
});
