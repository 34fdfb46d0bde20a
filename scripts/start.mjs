// `npm start`: builds what is missing or out of date (scripts/build.mjs), then serves page and API.
import "./require-node.mjs";
import { buildStale } from "./build.mjs";

try {
  buildStale();
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
await import("../dist/server.js");
