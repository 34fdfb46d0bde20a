import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const WEB = fileURLToPath(new URL(".", import.meta.url));
const PROJECT = resolve(WEB, "..");
/** Read by scripts/build.mjs: `npm start` rebuilds the page only when one of these changed. */
export const WEB_INPUTS_FILE = resolve(PROJECT, "dist", ".web-inputs.json");
const OUT_DIR = resolve(PROJECT, "dist", "web");

/**
 * What shapes the bundle besides its files: the environment variables the page is built with
 * (SPEC §10: VITE_API_BASE_URL puts the page on a host of its own). Recorded in dist/.web-shape.json
 * beside the inputs; scripts/build.mjs rebuilds, or refuses, when `npm start` runs with other values,
 * so a page built to call another host is never served as the same-origin page. Only these reach
 * the page: Vite's .env files are off (envDir: false), the environment is the one source.
 */
export const WEB_BUILD_VARIABLES = ["VITE_API_BASE_URL"] as const;
export const WEB_SHAPE_FILE = resolve(PROJECT, "dist", ".web-shape.json");
const apiBaseUrl = checkedApiBaseUrl(process.env.VITE_API_BASE_URL?.trim() ?? "");

/** An http(s) URL without query or fragment, kept without its trailing slash; empty: the page's own origin. */
function checkedApiBaseUrl(value: string): string {
  if (value === "") return "";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`VITE_API_BASE_URL: "${value}" is not a URL (e.g. https://api.example.com)`);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.search !== "" || url.hash !== "") {
    throw new Error(`VITE_API_BASE_URL: "${value}" must be an http: or https: URL without query or fragment (e.g. https://api.example.com)`);
  }
  return url.href.replace(/\/+$/, "");
}

/**
 * Records every file of ours that went into the bundle (web/ and the step schemas of src/ it
 * imports), so that a change to a shared schema rebuilds the page and a server-only change does not;
 * and the variables it was built with (WEB_SHAPE_FILE).
 */
function recordInputs(): Plugin {
  let isDefaultBuild = true;
  return {
    name: "record-inputs",
    apply: "build",
    configResolved(config) {
      isDefaultBuild = resolve(config.root, config.build.outDir) === OUT_DIR;
    },
    generateBundle() {
      // A build elsewhere (vite build --outDir …, as the cross-origin browser test makes) is not what `npm start` serves.
      if (!isDefaultBuild) return;
      const ours = [...this.getModuleIds()]
        .filter((id) => id.startsWith(PROJECT) && !id.includes("node_modules") && !id.includes("\0"))
        .map((id) => relative(PROJECT, id.split("?")[0] as string));
      // dist/ may not exist yet: Vite alone (vercel.json) builds the page before anything else is in it.
      mkdirSync(dirname(WEB_INPUTS_FILE), { recursive: true });
      writeFileSync(WEB_INPUTS_FILE, JSON.stringify([...new Set(ours)].sort(), null, 1) + "\n");
      const shape = Object.fromEntries(WEB_BUILD_VARIABLES.map((name) => [name, process.env[name]?.trim() || null]));
      writeFileSync(WEB_SHAPE_FILE, JSON.stringify(shape, null, 1) + "\n");
    },
  };
}

/**
 * Writes a .br and a .gz beside every text file of the build: the server (@fastify/static's
 * preCompressed) then sends what the browser accepts without compressing on each request.
 */
function precompress(): Plugin {
  let outDir = OUT_DIR;
  return {
    name: "precompress",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const files = readdirSync(outDir, { recursive: true, encoding: "utf8" }).filter((file) => /\.(js|css|html|svg|json)$/.test(file));
      for (const file of files) {
        const content = readFileSync(join(outDir, file));
        writeFileSync(join(outDir, `${file}.gz`), gzipSync(content, { level: 9 }));
        writeFileSync(join(outDir, `${file}.br`), brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

const apiPort = process.env.PORT ?? "8080";

/** `@/…` is the page's own src; `@server/…` the server's src, for the step schemas and rules the page shares. */
export const WEB_ALIASES = { "@": resolve(WEB, "src"), "@server": resolve(PROJECT, "src") };

export default defineConfig({
  root: WEB,
  plugins: [react(), recordInputs(), precompress()],
  resolve: { alias: WEB_ALIASES },
  envDir: false,
  define: { "import.meta.env.VITE_API_BASE_URL": JSON.stringify(apiBaseUrl) },
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    // dist/web/.vite/manifest.json: which files each page needs (bench/web-bench.ts reads it).
    manifest: true,
    // Modern evergreen browsers only: no legacy polyfills in the first load.
    target: "es2022",
  },
  server: {
    host: "127.0.0.1",
    port: 5173,
    // npm run dev: the API server runs beside Vite; the page talks to it through the same origin, as in production.
    proxy: { "/api": `http://127.0.0.1:${apiPort}` },
  },
});
