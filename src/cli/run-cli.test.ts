import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { captureIo } from "./cli-test-support.js";
import { migrateCommand } from "./commands/migrate-command.js";
import { upgradeLegacyCommand } from "./commands/upgrade-legacy-command.js";
import { runCli } from "./run-cli.js";

const COMMANDS = [migrateCommand, upgradeLegacyCommand];

describe("runCli", () => {
  it("lists every registered command under the program name onboarding", async () => {
    const io = captureIo({});
    expect(await runCli(["--help"], io, COMMANDS)).toBe(0);
    expect(io.stdout()).toMatch(/^Usage: onboarding /);
    expect(io.stdout()).toMatch(/\bmigrate\b[\s\S]*\bupgrade-legacy\b/);
  });

  it("stops with status 2 and names the variable when the configuration is bad", async () => {
    const io = captureIo({ DATABASE_URL: "mysql://db/x" });
    expect(await runCli(["migrate"], io, COMMANDS)).toBe(2);
    expect(io.stderr()).toMatch(/^configuration error: DATABASE_URL: "mysql:\/\/db\/x" is not sqlite:/);
  });

  it("answers an unknown command with a non-zero status and says which", async () => {
    const io = captureIo({});
    expect(await runCli(["frobnicate"], io, COMMANDS)).not.toBe(0);
    expect(io.stderr()).toContain("frobnicate");
  });

  it("returns the status a command sets, and reports a thrown error without a stack", async () => {
    const failing = () =>
      new Command("explode").action(() => {
        throw new Error("the value 7 is not allowed");
      });
    const io = captureIo({});
    expect(await runCli(["explode"], io, [failing])).toBe(1);
    expect(io.stderr()).toBe("error: the value 7 is not allowed\n");
  });

  it("refuses --backup-dir on PostgreSQL, where the backup is a schema", async () => {
    const io = captureIo({ DATABASE_URL: "postgres://nobody@127.0.0.1:1/none", ENCRYPTION_KEY: Buffer.alloc(32).toString("base64") });
    expect(await runCli(["upgrade-legacy", "--backup-dir", "/tmp/x"], io, COMMANDS)).toBe(1);
    expect(io.stderr()).toContain("--backup-dir /tmp/x applies to SQLite only");
  });
});
