import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { environmentProviders } from "./environment-keys.js";

describe("environmentProviders", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function withDotEnv(text: string | undefined): string {
    const dir = mkdtempSync(join(tmpdir(), "env-keys-"));
    dirs.push(dir);
    if (text !== undefined) writeFileSync(join(dir, ".env"), text);
    return dir;
  }

  it("names the providers whose key is in .env, written the ways .env files write it", () => {
    const dir = withDotEnv(
      ["# local keys", "export OPENAI_API_KEY=sk-local", 'GEMINI_API_KEY = "g key" # a comment', "MISTRAL_API_KEY='m'\r", "ANTHROPIC_API_KEY=", "TAVILY_API_KEY=   "].join("\n"),
    );
    expect([...environmentProviders({}, dir)].sort()).toEqual(["gemini", "mistral", "openai"]);
  });

  it("names the providers whose key is in the environment, with or without a .env", () => {
    expect([...environmentProviders({ ANTHROPIC_API_KEY: "a", OPENAI_API_KEY: " " }, withDotEnv(undefined))]).toEqual(["anthropic"]);
    expect([...environmentProviders({ ANTHROPIC_API_KEY: "a" }, withDotEnv("OPENAI_API_KEY=o\n"))].sort()).toEqual(["anthropic", "openai"]);
  });

  it("ignores lines that are no assignment and names that are no provider's key", () => {
    expect([...environmentProviders({}, withDotEnv("OPENAI_API_KEY\nNOT_A_PROVIDER_API_KEY=x\nopenai_api_key=x\n"))]).toEqual([]);
  });
});
