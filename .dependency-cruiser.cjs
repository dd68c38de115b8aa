/**
 * The layer matrix (issue 7, "One door"): dependencies point inward.
 *
 *   domain  <-  contract, ports  <-  app  <-  adapters / api / local / cli  <-  bot
 *   tab  ->  tab, contract, domain, app/concern-fields.ts only
 *
 * Run by test/architecture.test.ts (through dependency-cruiser's API) in `npm test`, and by hand
 * with `npx depcruise src bot tab --ignore-known`. Violations that exist today and that a colleague
 * is removing are listed in .dependency-cruiser-known-violations.json (regenerate it with
 * `npx depcruise src bot tab --output-type baseline > .dependency-cruiser-known-violations.json`
 * only to make it shorter, never to let a new violation in).
 *
 * Paths are relative to the repository root; npm packages resolve under node_modules/ (symlinks
 * are preserved so a worktree's linked node_modules still reads as node_modules/).
 */
const NODE_BUILTIN = ["core"];

/** An edge receives use cases, never stores: these are the stores and their implementations. */
const STORES = "^src/(ports/(record-store|school-store|file-store)\\.ts$|adapters/)";

module.exports = {
  forbidden: [
    {
      name: "domain-imports-only-itself",
      comment: "The domain is plain TypeScript: nothing but itself and node: builtins (no SDK, no other layer).",
      severity: "error",
      from: { path: "^src/domain/" },
      to: { pathNot: "^src/domain/", dependencyTypesNot: NODE_BUILTIN },
    },
    {
      name: "contract-is-schemas-over-the-domain",
      comment: "src/contract holds zod schemas over domain types: it imports the domain, itself and zod only.",
      severity: "error",
      from: { path: "^src/contract/" },
      to: { pathNot: "^(src/(domain|contract)/|node_modules/zod/)" },
    },
    {
      name: "ports-are-interfaces-over-the-domain",
      comment: "Ports are plain interfaces over domain types (and each other).",
      severity: "error",
      from: { path: "^src/ports/" },
      to: { pathNot: "^src/(domain|ports)/" },
    },
    {
      name: "app-sees-domain-contract-ports",
      comment:
        "Use cases see the domain, the contract, the ports, each other, the logger and small pure parsing libraries; never an adapter, an edge or an SDK.",
      severity: "error",
      from: { path: "^src/app/" },
      to: {
        pathNot: "^(src/(domain|contract|ports|app)/|src/logger\\.ts$|node_modules/(zod|csv-parse|file-type)/)",
        dependencyTypesNot: NODE_BUILTIN,
      },
    },
    {
      name: "adapters-do-not-reach-outward",
      comment: "Adapters implement ports: they must not import the HTTP edge, the local stand-ins, the CLI or the composition.",
      severity: "error",
      from: { path: "^src/adapters/" },
      to: { path: "^src/(api|local|cli)/|^src/(compose|main|http-server)\\.ts$" },
    },
    {
      name: "api-does-not-reach-sideways",
      comment: "The HTTP edge calls use cases: it must not import the local stand-ins, the CLI or the composition.",
      severity: "error",
      from: { path: "^src/api/" },
      to: { path: "^src/(local|cli)/|^src/(compose|main)\\.ts$" },
    },
    {
      name: "src-never-imports-bot-or-tab",
      comment: "Nothing in src/ reaches into bot/ or tab/, except src/main.ts, the entry point that starts the server and builds the tab.",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/main\\.ts$" },
      to: { path: "^(bot|tab)/" },
    },
    {
      name: "botbuilder-only-in-bot",
      comment: "botbuilder and Bot Framework types stay at the thin edge, in bot/.",
      severity: "error",
      from: { pathNot: "^bot/" },
      to: { path: "^node_modules/(botbuilder|botframework-)" },
    },
    {
      name: "tab-shares-only-contract-and-domain",
      comment:
        "The tab is a browser bundle: it shares only the domain, the contract and the form's field names (src/app/concern-fields.ts) with the server.",
      severity: "error",
      from: { path: "^tab/" },
      to: { pathNot: "^(tab/|src/(domain|contract)/|src/app/concern-fields\\.ts$|node_modules/)", dependencyTypesNot: NODE_BUILTIN },
    },
    {
      name: "tab-bundle-has-no-node-builtins",
      comment: "tab/src and tab/dialogs run in the browser; only the build scripts beside them (tab/*.ts) run in Node.",
      severity: "error",
      from: { path: "^tab/(src|dialogs)/" },
      to: { dependencyTypes: NODE_BUILTIN },
    },
    {
      name: "tab-takes-response-types-from-the-contract",
      comment:
        "The tab parses API responses with src/contract's schemas, so it never builds its own: no zod in tab/src except a type-only import in the API client.",
      severity: "error",
      from: { path: "^tab/src/", pathNot: "^tab/src/api-client\\.ts$" },
      to: { path: "^node_modules/zod/" },
    },
    {
      name: "tab-api-client-zod-types-only",
      comment: "The API client may name zod's types (to type a schema parameter) but not build schemas of its own.",
      severity: "error",
      from: { path: "^tab/src/api-client\\.ts$" },
      to: { path: "^node_modules/zod/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "no-store-at-an-edge",
      comment:
        "Edges (bot/, src/api/, src/cli/) receive use cases, never stores or adapters. The one composition root, src/compose.ts (outside these folders), wires adapters for the server and the CLI alike.",
      severity: "error",
      from: { path: "^(bot|src/api|src/cli)/" },
      to: { path: STORES },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)dist/" },
    // `import type` counts: a type import of a store at an edge is still the edge knowing the store.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    preserveSymlinks: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
  },
};
