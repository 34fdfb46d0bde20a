import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const WEB = fileURLToPath(new URL(".", import.meta.url));
const PROJECT = resolve(WEB, "..");
/** Read by scripts/build.mjs: `npm start` rebuilds the page only when one of these changed. */
export const WEB_INPUTS_FILE = resolve(PROJECT, "dist", ".web-inputs.json");

/**
 * Records every file of ours that went into the bundle (web/ and the step schemas of src/ it
 * imports), so that a change to a shared schema rebuilds the page and a server-only change does not.
 */
function recordInputs(): Plugin {
  return {
    name: "record-inputs",
    apply: "build",
    generateBundle() {
      const ours = [...this.getModuleIds()]
        .filter((id) => id.startsWith(PROJECT) && !id.includes("node_modules") && !id.includes("\0"))
        .map((id) => relative(PROJECT, id.split("?")[0] as string));
      writeFileSync(WEB_INPUTS_FILE, JSON.stringify([...new Set(ours)].sort(), null, 1) + "\n");
    },
  };
}

/**
 * Writes a .br and a .gz beside every text file of the build: the server (@fastify/static's
 * preCompressed) then sends what the browser accepts without compressing on each request.
 */
function precompress(outDir: string): Plugin {
  return {
    name: "precompress",
    apply: "build",
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

const OUT_DIR = resolve(PROJECT, "dist", "web");
const apiPort = process.env.PORT ?? "8080";

/** `@/…` is the page's own src; `@server/…` the server's src, for the step schemas and rules the page shares. */
export const WEB_ALIASES = { "@": resolve(WEB, "src"), "@server": resolve(PROJECT, "src") };

export default defineConfig({
  root: WEB,
  plugins: [react(), recordInputs(), precompress(OUT_DIR)],
  resolve: { alias: WEB_ALIASES },
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
