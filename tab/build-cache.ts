// A browser build that is skipped when nothing it read has changed. esbuild's metafile names every
// file a build read (sources, node_modules, CSS); their content hashes and the build's options go
// in a stamp beside the output, and the next build compares them before starting esbuild at all.
// `npm start` on an unchanged tree therefore never starts esbuild's service (about 400 MB and two
// seconds on this machine). Outputs carry a content hash in their names, so they can be cached
// forever; files left by an earlier build are removed after a new one.
import { createHash } from "node:crypto";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, version, type BuildOptions, type Metafile } from "esbuild";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));

export interface CachedBuild {
  /** True when the stamp matched and esbuild was not run. */
  skipped: boolean;
  /** Each entry point's script, as a file name relative to the output dir (e.g. `app-VCDQPGEL.js`). */
  scripts: Record<string, string>;
  /**
   * Each entry point's initial load: its script first, then every chunk it imports statically
   * (transitively), which the browser fetches before running it. Chunks reached only through
   * `import()` are not in it; they are fetched when the code first asks for them.
   */
  initial: Record<string, string[]>;
  /** Every file written (scripts, chunks, maps, licences), relative to the output dir. */
  outputs: string[];
}

/** An input as the last build read it: its content hash, and its size and mtime to skip re-hashing. */
type InputStamp = [hash: string, size: number, mtimeMs: number];

interface Stamp {
  key: string;
  inputs: Record<string, InputStamp>;
  outputs: string[];
  scripts: Record<string, string>;
  initial: Record<string, string[]>;
}

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

async function stampOf(file: string): Promise<InputStamp | undefined> {
  try {
    const path = resolve(projectRoot, file);
    const [body, s] = await Promise.all([readFile(path), stat(path)]);
    return [sha256(body), s.size, s.mtimeMs];
  } catch {
    return undefined;
  }
}

/** Same content as stamped: unchanged size and mtime, or else the same hash (a touched but equal file). */
async function unchanged(file: string, [hash, size, mtimeMs]: InputStamp): Promise<boolean> {
  try {
    const s = await stat(resolve(projectRoot, file));
    if (s.size === size && s.mtimeMs === mtimeMs) return true;
    return (await stampOf(file))?.[0] === hash;
  } catch {
    return false;
  }
}

async function readStamp(file: string): Promise<Stamp | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as Stamp;
  } catch {
    return undefined;
  }
}

/** Whether every input still has the hash it had and every output is still there. */
async function stampHolds(stamp: Stamp, key: string, outDir: string): Promise<boolean> {
  if (stamp.key !== key) return false;
  const same = await Promise.all(Object.entries(stamp.inputs).map(([file, input]) => unchanged(file, input)));
  if (!same.every(Boolean)) return false;
  const present = await Promise.all(
    stamp.outputs.map((f) =>
      stat(join(outDir, f)).then(
        () => true,
        () => false,
      ),
    ),
  );
  return present.every(Boolean);
}

/** `script` and the chunks it imports statically, directly or through another chunk, relative to the output dir. */
function staticLoad(metafile: Metafile, absOut: string, script: string): string[] {
  const byName = new Map(Object.entries(metafile.outputs).map(([o, meta]) => [relative(absOut, resolve(projectRoot, o)), meta]));
  const seen = [script];
  for (let i = 0; i < seen.length; i++) {
    for (const imported of byName.get(seen[i])?.imports ?? []) {
      const name = relative(absOut, resolve(projectRoot, imported.path));
      if (imported.kind === "import-statement" && !imported.external && !seen.includes(name)) seen.push(name);
    }
  }
  return seen;
}

/**
 * Builds `entryPoints` (name to file) into `outDir` as `[name]-[hash].js`, unless the stamp named
 * `stampName` in `outDir` shows the same options over the same input contents.
 */
export async function cachedBuild(
  stampName: string,
  outDir: string,
  entryPoints: Record<string, string>,
  options: BuildOptions,
): Promise<CachedBuild> {
  const stampFile = join(outDir, `.${stampName}-build.json`);
  const key = sha256(JSON.stringify({ version, entryPoints, options, outDir: resolve(outDir) }));
  const previous = await readStamp(stampFile);
  if (previous && (await stampHolds(previous, key, outDir)))
    return { skipped: true, scripts: previous.scripts, initial: previous.initial, outputs: previous.outputs };

  const result = await build({
    ...options,
    entryPoints,
    outdir: outDir,
    entryNames: "[name]-[hash]",
    absWorkingDir: projectRoot,
    metafile: true,
    write: true,
  });
  const inputFiles = Object.keys(result.metafile.inputs);
  const stamps = await Promise.all(inputFiles.map(stampOf));
  const inputs: Record<string, InputStamp> = Object.create(null);
  inputFiles.forEach((file, i) => (inputs[file] = stamps[i] ?? ["", -1, -1]));
  const absOut = resolve(outDir);
  const outputs = Object.keys(result.metafile.outputs).map((o) => relative(absOut, resolve(projectRoot, o)));
  const scripts: Record<string, string> = Object.create(null);
  for (const [o, meta] of Object.entries(result.metafile.outputs)) {
    const name = Object.keys(entryPoints).find(
      (n) => meta.entryPoint && resolve(projectRoot, meta.entryPoint) === resolve(projectRoot, entryPoints[n]),
    );
    if (name && o.endsWith(".js")) scripts[name] = relative(absOut, resolve(projectRoot, o));
  }
  const initial: Record<string, string[]> = Object.create(null);
  for (const name of Object.keys(scripts)) initial[name] = staticLoad(result.metafile, absOut, scripts[name]);
  const stale = (previous?.outputs ?? []).filter((f) => !outputs.includes(f));
  await Promise.all(stale.map((f) => rm(join(outDir, f), { force: true })));
  await writeFile(stampFile, JSON.stringify({ key, inputs, outputs, scripts, initial } satisfies Stamp));
  return { skipped: false, scripts, initial, outputs };
}
