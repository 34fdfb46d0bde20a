// Imported first by every entry point (npm install's preinstall, npm start, npm test, npm run cli,
// dist/server.js, dist/cli/main.js): on a Node older than package.json's `engines` it stops at once
// with one line saying what to install, instead of failing later deep inside a native module or a
// dependency (decision 0017). Plain JavaScript that Node 18 parses, so this file itself never crashes there.
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const needed = Number(/(\d+)/.exec(pkg.engines.node)[1]);
const running = Number(process.versions.node.split(".")[0]);

if (running < needed) {
  const prefix = `~/.cache/onboarding-node${needed}`;
  const bin = `${prefix}/node_modules/node/node_modules/node-${process.platform}-${process.arch}/bin`;
  process.stderr.write(
    `This project needs Node.js ${needed} or newer, but this is Node.js ${process.version}: install it with \`npm install --prefix ${prefix} node@${needed}\` and put ${bin} first on PATH (README, "Node.js ${needed}").\n`,
  );
  process.exit(1);
}
