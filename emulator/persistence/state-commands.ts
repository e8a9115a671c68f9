// `cognito-twin export FILE` and `cognito-twin import FILE`: a data directory's state to and from
// a state document (emulator/persistence/state-document.ts), without starting the server.
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { Store } from "../store/store.js";
import { DataDirError, importIntoDataDir, readDataDir } from "./journal.js";
import { StateFormatError, stateDocumentOf } from "./state-document.js";

/** Usage of the two subcommands. */
const STATE_USAGE = `Usage: cognito-twin export FILE --data-dir DIR   write DIR's state to FILE (- for stdout)
       cognito-twin import FILE --data-dir DIR [--force]
                                               replace DIR's state with FILE's (--force if DIR
                                               already holds state; the emulator must be stopped)
  --data-dir defaults to COGNITO_TWIN_DATA_DIR.
`;

/** Where the subcommands write. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

/** Runs `export` or `import` (argv starts with the subcommand); returns the exit code. */
export async function runStateCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CommandIo,
): Promise<number> {
  const [command, ...rest] = argv;
  const parse = () =>
    parseArgs({
      args: rest,
      options: { "data-dir": { type: "string" }, force: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: true,
    });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (e) {
    io.err(`cognito-twin ${command}: ${(e as Error).message}\n\n${STATE_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(STATE_USAGE);
    return 0;
  }
  const dataDir = values["data-dir"] ?? (env.COGNITO_TWIN_DATA_DIR || undefined);
  const file = positionals[0];
  if (!dataDir || !file || positionals.length > 1 || (command === "export" && values.force)) {
    io.err(
      `cognito-twin ${command}: ${!dataDir ? "--data-dir DIR is required" : "expected exactly one FILE"}\n\n${STATE_USAGE}`,
    );
    return 2;
  }
  try {
    if (command === "export") {
      const store = new Store();
      const report = await readDataDir(dataDir, store);
      for (const p of report.problems) io.err(`cognito-twin export: warning: ${p}; what comes before it is exported\n`);
      if (report.recovered)
        io.err(
          `cognito-twin export: warning: ${dataDir} holds state recovered from damage at ${report.recovered.at}, not yet acknowledged\n`,
        );
      const text = `${JSON.stringify(stateDocumentOf(store, report.lastSeq), null, 2)}\n`;
      if (file === "-") io.out(text);
      else {
        // Written beside and renamed, so an interrupted export never leaves half a file; owner
        // only (0600), since it holds signing keys, password hashes and refresh tokens. A temp
        // file left by an earlier run would keep its mode, so it goes first.
        await rm(`${file}.tmp`, { force: true });
        await writeFile(`${file}.tmp`, text, { flush: true, mode: 0o600, flag: "wx" });
        await rename(`${file}.tmp`, file);
        io.err(`cognito-twin export: wrote ${file} (state #${report.lastSeq})\n`);
      }
      return 0;
    }
    const text = await readFile(file, "utf8");
    const { records } = await importIntoDataDir(dataDir, text, file, { force: values.force === true });
    io.err(`cognito-twin import: ${dataDir} now holds the ${records} records of ${file}\n`);
    return 0;
  } catch (e) {
    if (e instanceof DataDirError || e instanceof StateFormatError) {
      io.err(`cognito-twin ${command}: ${e.message}\n`);
      return 1;
    }
    if ((e as NodeJS.ErrnoException).code === "ENOENT" && command === "import") {
      io.err(`cognito-twin import: cannot read ${file}: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
}
