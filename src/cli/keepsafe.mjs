#!/usr/bin/env node
// The installed `keepsafe` command: plain JavaScript so node runs it directly, registering tsx
// first so the TypeScript CLI loads without a build step.
import { register } from "tsx/esm/api";

// The CLI talks to a person; structured logs below "error" would only clutter the terminal.
process.env.LOG_LEVEL ??= "error";
// The CLI's use cases come from the server's composition root (src/compose.ts), which loads restify;
// restify (through spdy) uses process.binding, which Node flags as DEP0111 on load. `npm start` hides
// that one warning with --disable-warning=DEP0111; a command run directly cannot take the flag, so
// the same single warning is dropped here and every other warning still prints.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  if (rest.some((r) => r === "DEP0111" || r?.code === "DEP0111")) return;
  return emitWarning.call(process, warning, ...rest);
};
register();
const { main } = await import("./keepsafe.ts");
process.exitCode = await main(process.argv.slice(2));
