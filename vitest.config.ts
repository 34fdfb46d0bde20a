import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";
import { WEB_ALIASES } from "./web/vite.config.js";

export default defineConfig({
  test: {
    // Database tests share one PostgreSQL server; each file gets its own schema, so files may
    // run in parallel, but two cores is all CI has.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "server", include: ["src/**/*.test.ts", "e2e/*.test.ts"], environment: "node" },
      },
      {
        // The page's components, in jsdom, with the aliases the page is built with.
        extends: true,
        plugins: [react()],
        resolve: { alias: WEB_ALIASES },
        test: { name: "web", include: ["web/src/**/*.test.{ts,tsx}"], environment: "jsdom", setupFiles: ["web/src/testing/setup-tests.ts"] },
      },
      {
        // Debian's Chromium against the server as `npm start` runs it; skipped, loudly, without a Chromium.
        extends: true,
        test: { name: "browser", include: ["e2e/browser/**/*.test.ts"], globalSetup: ["e2e/browser/global-setup.ts"], testTimeout: 120_000, hookTimeout: 180_000 },
      },
      {
        // What users deploy with (image, compose, platform files): `npm run test:deploy`, a CI step of its
        // own, since building the image takes minutes of both cores. Skipped, loudly, without podman.
        extends: true,
        test: { name: "deploy", include: ["e2e/deploy/**/*.test.ts"], testTimeout: 300_000, hookTimeout: 1_800_000, fileParallelism: false },
      },
    ],
  },
});
