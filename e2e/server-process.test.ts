import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { listeningUrl, startServerProcess as startServer } from "./server-process-support.js";

describe("the server process", () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "server-"));
    dirs.push(dir);
    return dir;
  };

  it("starts on SQLite with no other service, answers health checks, and stops cleanly on SIGTERM", async () => {
    const dir = tempDir();
    const server = startServer({ DATABASE_URL: `sqlite:${join(dir, "app.db")}`, DATA_DIR: dir, PROGRESS_DIR: join(dir, "progress") });
    children.push(server.child);
    const url = await listeningUrl(server);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(await ready.json()).toMatchObject({ status: "ready", storage_mode: "dual", database: "ok" });
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain("SIGTERM received");
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it.each([
    [{ STORAGE_MODE: "files" }, /STORAGE_MODE: "files" is not one of file \| dual \| database/],
    [{ HOST: "0.0.0.0" }, /AUTH_MODE: dev is refused on the non-loopback HOST "0.0.0.0".*AUTH_MODE=clerk/],
    [{ AUTH_MODE: "clerk", CLERK_JWKS_URL: "https://x.example/jwks" }, /ENCRYPTION_KEY: is required/],
  ])("refuses to start with %j, naming the variable", async (env, message) => {
    const dir = tempDir();
    const server = startServer({ DATABASE_URL: `sqlite:${join(dir, "app.db")}`, DATA_DIR: dir, ...env });
    children.push(server.child);
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(message);
  });
});
