// `npm run dev`: the API server under `tsx watch` (restarts on a change in src/) and Vite's dev
// server with hot reload for the page (web/, and the step schemas it imports), which proxies /api
// to the API server. Open the page at Vite's address; Ctrl-C stops both.
import "./require-node.mjs";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const PROJECT = fileURLToPath(new URL("..", import.meta.url));
const bin = (name) => join(PROJECT, "node_modules", ".bin", name);

const children = [
  spawn(bin("tsx"), ["watch", "--clear-screen=false", "src/server.ts"], { cwd: PROJECT, stdio: "inherit" }),
  spawn(bin("vite"), ["--config", "web/vite.config.ts"], { cwd: PROJECT, stdio: "inherit" }),
];

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  process.exitCode = code;
}
for (const child of children) child.on("exit", (code) => stop(code ?? 0));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stop(0));
