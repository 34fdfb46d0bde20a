/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Set by web/vite.config.ts from the build's environment: the API's base URL, or "" for the page's own origin. */
  readonly VITE_API_BASE_URL?: string;
}
