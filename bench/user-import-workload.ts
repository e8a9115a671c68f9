// A CSV user import of 100,000 rows (issue 17), cognito-twin only: a pool, CreateUserImportJob,
// the file PUT to the job's PreSignedUrl (this emulator), StartUserImportJob, and
// DescribeUserImportJob polled until the job ends. The figure is the wall time from the start to
// Succeeded; beside it, the slowest DescribeUserImportJob answer while the import ran (the server
// must keep answering: the import runs in batches on the event loop).
import { performance } from "node:perf_hooks";
import { api, type Running } from "./api.js";
import type { Tool } from "./tools.js";
import { scratchDir } from "./tools.js";
import { launchTool } from "./workloads.js";

/** What one run of the import workload measured. */
export interface UserImportRun {
  rows: number;
  /** StartUserImportJob to Succeeded, s. */
  importS: number;
  /** Server CPU over the import (polls included), s: what the machine's load affects least. */
  cpuS: number;
  /** The PUT of the file, s. */
  uploadS: number;
  /** The slowest DescribeUserImportJob answer during the import, ms. */
  slowestPollMs: number;
  peakRssMB: number;
}

interface Job {
  JobId: string;
  PreSignedUrl: string;
  Status: string;
  ImportedUsers: number;
  FailedUsers: number;
  SkippedUsers: number;
  CompletionMessage?: string;
}

/** The file: GetCSVHeader's columns, `rows` users with a verified email each. */
function csv(header: string[], rows: number): string {
  const lines = [header.join(",")];
  const at = (name: string) => header.indexOf(name);
  const [u, e, v, m] = [at("cognito:username"), at("email"), at("email_verified"), at("cognito:mfa_enabled")];
  for (let i = 0; i < rows; i++) {
    const row = new Array<string>(header.length).fill("");
    row[u] = `import-user-${i}`;
    row[e] = `import-user-${i}@example.com`;
    row[v] = "true";
    row[m] = "false";
    lines.push(row.join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** Imports `rows` users into a fresh cognito-twin. */
export async function measureUserImport(tool: Tool, rows: number, log: (line: string) => void): Promise<UserImportRun> {
  const scratch = scratchDir(tool.name);
  let server: Running | undefined;
  try {
    server = await launchTool(tool, scratch.dir);
    const url = server.url;
    const { UserPool } = await api<{ UserPool: { Id: string } }>(url, "CreateUserPool", {
      PoolName: "bench-import",
      AutoVerifiedAttributes: ["email"],
    });
    const poolId = UserPool.Id;
    const { CSVHeader } = await api<{ CSVHeader: string[] }>(url, "GetCSVHeader", { UserPoolId: poolId });
    const body = csv(CSVHeader, rows);
    const { UserImportJob: created } = await api<{ UserImportJob: Job }>(url, "CreateUserImportJob", {
      UserPoolId: poolId,
      JobName: "bench",
      CloudWatchLogsRoleArn: "arn:aws:iam::123456789012:role/CognitoImport",
    });
    const u0 = performance.now();
    const put = await fetch(created.PreSignedUrl, {
      method: "PUT",
      body,
      headers: { "x-amz-server-side-encryption": "aws:kms", "content-type": "text/csv" },
    });
    if (put.status !== 200) throw new Error(`the upload answered ${put.status}: ${(await put.text()).slice(0, 300)}`);
    const uploadS = (performance.now() - u0) / 1000;
    const t0 = performance.now();
    const cpu0 = server.cpuSeconds();
    await api(url, "StartUserImportJob", { UserPoolId: poolId, JobId: created.JobId });
    let job: Job;
    let slowestPollMs = 0;
    for (;;) {
      const p0 = performance.now();
      job = (
        await api<{ UserImportJob: Job }>(url, "DescribeUserImportJob", { UserPoolId: poolId, JobId: created.JobId })
      ).UserImportJob;
      slowestPollMs = Math.max(slowestPollMs, performance.now() - p0);
      if (!["Pending", "InProgress"].includes(job.Status)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const importS = (performance.now() - t0) / 1000;
    const cpuS = server.cpuSeconds() - cpu0;
    if (job.Status !== "Succeeded" || job.ImportedUsers !== rows)
      throw new Error(
        `the job ended ${job.Status} with ${job.ImportedUsers} imported, ${job.FailedUsers} failed: ${job.CompletionMessage ?? ""}`,
      );
    const run = { rows, importS, cpuS, uploadS, slowestPollMs, peakRssMB: server.peakRssMB() };
    log(
      `  ${rows.toLocaleString("en-US")} rows (${(body.length / 1e6).toFixed(1)} MB): upload ${uploadS.toFixed(2)} s, import ${importS.toFixed(2)} s (server CPU ${cpuS.toFixed(2)} s), slowest poll ${slowestPollMs.toFixed(0)} ms, peak RSS ${run.peakRssMB.toFixed(0)} MB`,
    );
    return run;
  } finally {
    await server?.stop();
    scratch.remove();
  }
}
