// `npm run cli -- <command>`: the operator commands (SPEC §8), run from the compiled server in
// dist/, built first when missing or older than src/ (as `npm start` does, without the web page).
// So a production install, built and then pruned of its dev dependencies, runs them with node alone.
import "./require-node.mjs";
import { buildStale } from "./build.mjs";

try {
  buildStale(["server"]);
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
await import("../dist/cli/main.js");
