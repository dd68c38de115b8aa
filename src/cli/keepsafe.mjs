#!/usr/bin/env node
// The installed `keepsafe` command: plain JavaScript so node runs it directly, registering tsx
// first so the TypeScript CLI loads without a build step.
import { register } from "tsx/esm/api";

// The CLI talks to a person; structured logs below "error" would only clutter the terminal.
process.env.LOG_LEVEL ??= "error";
register();
const { main } = await import("./keepsafe.ts");
process.exitCode = await main(process.argv.slice(2));
