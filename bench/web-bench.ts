import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** The first-load budget of the issue: the JS and CSS the first page needs, gzipped. */
const TARGET_KB = 150;
const WEB = join(process.cwd(), "dist", "web");

interface ManifestChunk {
  readonly file: string;
  readonly css?: readonly string[];
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
}
type Manifest = Readonly<Record<string, ManifestChunk>>;

/**
 * `npm run bench -- web`: builds what is stale (as `npm start` would), then reads Vite's manifest
 * and prints the gzipped size (level 9, as the build's .gz files the server sends) of the JS and
 * CSS each first page needs, beside the 150 KB target: the sign-in page (a new visitor), and each
 * step opened by a reload (index.html, its chunk, the step's chunk and the chunks they import).
 * The Clerk seam, fetched only in clerk auth mode, is listed apart.
 */
export async function webBench(_args: readonly string[]): Promise<void> {
  const build = spawnSync(process.execPath, ["scripts/build.mjs", "--stale"], { stdio: "inherit" });
  if (build.status !== 0) throw new Error("the build failed");
  const manifest = JSON.parse(readFileSync(join(WEB, ".vite", "manifest.json"), "utf8")) as Manifest;

  const entry = "index.html";
  const signIn = filesOf(manifest, [entry]);
  report("sign-in page (first visit)", signIn);
  const steps = (manifest[entry]?.dynamicImports ?? []).filter((key) => !key.includes("clerk"));
  let largest = 0;
  for (const step of steps) largest = Math.max(largest, report(`reload at ${step.replace(/^src\/features\//, "").replace(/\/components\/.*$/, "")}`, filesOf(manifest, [entry, step])));
  const clerk = (manifest[entry]?.dynamicImports ?? []).filter((key) => key.includes("clerk"));
  const clerkOnly = filesOf(manifest, clerk).filter((file) => !signIn.includes(file));
  line(`clerk auth mode only, on demand: ${kb(gzipped(clerkOnly))} KB gzipped more (${clerkOnly.join(", ")}); dev mode never fetches it`);
  line(`largest first load: ${kb(largest)} KB gzipped (target <= ${TARGET_KB} KB: ${largest <= TARGET_KB * 1024 ? "met" : "MISSED"})`);
}

/** Every JS and CSS file the chunks need, through their static imports. */
function filesOf(manifest: Manifest, keys: readonly string[]): string[] {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (chunk === undefined) throw new Error(`the manifest has no ${key}`);
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return [...files].sort();
}

function report(label: string, files: readonly string[]): number {
  const js = gzipped(files.filter((file) => file.endsWith(".js")));
  const css = gzipped(files.filter((file) => file.endsWith(".css")));
  const brotli = files.reduce((sum, file) => sum + brotliCompressSync(read(file), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length, 0);
  line(`${label}: JS ${kb(js)} KB + CSS ${kb(css)} KB = ${kb(js + css)} KB gzipped (brotli ${kb(brotli)} KB), target <= ${TARGET_KB} KB: ${js + css <= TARGET_KB * 1024 ? "met" : "MISSED"}`);
  return js + css;
}

function gzipped(files: readonly string[]): number {
  return files.reduce((sum, file) => sum + gzipSync(read(file), { level: 9 }).length, 0);
}

function read(file: string): Buffer {
  return readFileSync(join(WEB, file));
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const line = (text: string) => process.stdout.write(`${text}\n`);
