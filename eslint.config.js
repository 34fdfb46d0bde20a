import { readdirSync } from "node:fs";
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const nodeGlobals = { process: "readonly", console: "readonly", URL: "readonly", setTimeout: "readonly", fetch: "readonly", AbortSignal: "readonly" };

// bulletproof-react's one-way street: app → features → shared. A feature imports only itself and
// shared; shared imports neither features nor the app.
const APP = { group: ["@/app/*"], message: "Only the app layer composes the app." };
const webFeatures = readdirSync(new URL("web/src/features", import.meta.url));
const layerRules = [
  ...webFeatures.map((feature) => ({
    files: [`web/src/features/${feature}/**`],
    rules: {
      "no-restricted-imports": ["error", { patterns: [APP, { group: ["@/features/*", `!@/features/${feature}`], message: "Features never import each other; share through shared/ or compose in app/." }] }],
    },
  })),
  {
    files: ["web/src/shared/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [APP, { group: ["@/features/*"], message: "shared/ never imports a feature." }] }] },
  },
];

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "data/", "coverage/", "e2e/screenshots/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        { selector: "ExportDefaultDeclaration", message: "Named exports only (house style)." },
      ],
    },
  },
  {
    files: ["web/src/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // A notice for the React Compiler, which this page does not use.
      "react-hooks/incompatible-library": "off",
    },
  },
  ...layerRules,
  {
    files: ["scripts/**/*.mjs", "eslint.config.js"],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ["eslint.config.js", "vitest.config.ts", "web/vite.config.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
);
