// The layering rule, checked in `npm test` (npm run check:deps):
//   http → protocol → operations → domain → {tokens, crypto, store, services}
// with core/ (errors, wire form, clock, logger), model/ and config.ts as leaves, context.ts the
// shared Services/OperationContext types, and app.ts/cli.ts/seed.ts/index.ts at the top.
// Every rule names both files when it fails. See CONTRIBUTING.md.
/** Rooms, lowest first; a room may import only from rooms listed before it (and itself). */
const ROOMS = [
  ["leaf", "^emulator/(core/|model/|config\\.ts|seed-file\\.ts)"],
  ["crypto", "^emulator/crypto/"],
  ["store", "^emulator/store/"],
  ["services", "^emulator/services/"],
  ["persistence", "^emulator/persistence/"],
  ["tokens", "^emulator/tokens/"],
  ["context", "^emulator/context\\.ts"],
  ["domain", "^emulator/domain/"],
  ["operations", "^emulator/operations/"],
  ["protocol", "^emulator/protocol/"],
  ["http", "^emulator/http/"],
];
const notTest = "\\.test\\.ts$";
const backPointing = ROOMS.map(([name, path], i) => ({
  name: `layers-${name}`,
  comment: `${name} may import only from: ${ROOMS.slice(0, i + 1)
    .map(([n]) => n)
    .join(", ")} (CONTRIBUTING.md)`,
  severity: "error",
  from: { path, pathNot: notTest },
  to: {
    path: "^emulator/",
    pathNot: [...ROOMS.slice(0, i + 1).map(([, p]) => p), "\\.json$"],
  },
}));
// What the lower rooms must not touch at run time.
const noIo = ["store", "crypto", "domain", "tokens", "operations", "protocol", "core", "model"].map((room) => ({
  name: `no-file-io-in-${room}`,
  comment: `${room} does no file I/O; that lives in persistence/ (CONTRIBUTING.md)`,
  severity: "error",
  from: { path: `^emulator/${room}/`, pathNot: notTest },
  to: { path: "^(node:)?fs(/promises)?$", dependencyTypes: ["core"] },
}));
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "Import cycles, type-only ones included, are not allowed (CONTRIBUTING.md)",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "emulator-stands-alone",
      comment: "The emulator does not import the client app, scenarios, tests' support code or benchmarks",
      severity: "error",
      from: { path: "^emulator/", pathNot: notTest },
      to: { path: "^(client|scenarios|test-support|bench|docker)/" },
    },
    ...backPointing,
    ...noIo,
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist)/" },
    tsConfig: { fileName: "tsconfig.json" },
  },
};
