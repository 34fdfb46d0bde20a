import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { registerImportFilesCommand } from "../commands/import-files-command.js";
import { registerVerifyCommand } from "../commands/verify-command.js";
import { runCli } from "../run-cli.js";
import { asCommandFactory } from "./command-factory.js";

/**
 * The wiring into `onboarding`'s own runner, where the program opens DATABASE_URL itself: an
 * in-memory database keeps it private to the test. What the commands do with a database is
 * tested on both dialects beside each command.
 */
describe("commands inside runCli", () => {
  const commands = [asCommandFactory(registerVerifyCommand), asCommandFactory(registerImportFilesCommand)];
  const run = async (argv: string[], env: Record<string, string>) => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { env, out: (text: string) => void out.push(text), err: (text: string) => void err.push(text) };
    const exitCode = await runCli(argv, io, commands);
    return { exitCode, out: out.join(""), err: err.join("") };
  };
  const env = { DATABASE_URL: "sqlite::memory:", ENCRYPTION_KEY: randomBytes(32).toString("base64"), LOG_LEVEL: "warn" };

  it("reports the exit status through the runner and writes through its io", async () => {
    const result = await run(["verify", "user_nobody"], env);
    expect(result.exitCode).toBe(1);
    expect(result.err).toMatch(/no onboarding session for user "user_nobody"/);
    expect(result.out).toBe("");
  });

  it("names a bad variable and exits 2, as migrate does", async () => {
    const result = await run(["import-files", "--dry-run"], { ...env, STORAGE_MODE: "files" });
    expect(result.exitCode).toBe(2);
    expect(result.err).toMatch(/^configuration error: .*STORAGE_MODE/);
  });
});
