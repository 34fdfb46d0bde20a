import { describe, expect, it } from "vitest";
import { PROVIDERS } from "../../onboarding/providers.js";
import { apiKeySchema, apiKeysStepSchema, looksLikeMask } from "./api-keys-schema.js";
import { failingPaths as failingPathsOf } from "../../test-support/failing-paths.js";

const failingPaths = (payload: unknown): string[] => failingPathsOf(apiKeysStepSchema, payload);

describe("step 1 schema: accepted payloads", () => {
  it.each([
    ["a typical OpenAI key", { api_keys: { openai: "sk-proj-abcdEFGH1234" } }],
    ["a key of exactly 8 characters", { api_keys: { gemini: "AIza1234" } }],
    ["a key of exactly 512 characters", { api_keys: { anthropic: "k".repeat(512) } }],
    ["every printable ASCII symbol", { api_keys: { mistral: "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~" } }],
    ["a research provider alone", { api_keys: { tavily: "tvly-0123456789" } }],
    ["no key at all (completion decides whether that is enough)", { api_keys: {} }],
  ])("accepts %s", (_label, payload) => {
    expect(failingPaths(payload)).toEqual([]);
  });

  it("accepts a key for every one of the ten providers at once", () => {
    const payload = { api_keys: Object.fromEntries(PROVIDERS.map((provider) => [provider, `${provider}-key-0001`])) };

    expect(PROVIDERS).toHaveLength(10);
    expect(apiKeysStepSchema.parse(payload)).toEqual(payload);
  });
});

describe("step 1 schema: refused payloads name the failing field", () => {
  it.each([
    { label: "a key of 7 characters", payload: { api_keys: { openai: "sk-1234" } }, path: "api_keys.openai" },
    { label: "a key of 513 characters", payload: { api_keys: { gemini: "k".repeat(513) } }, path: "api_keys.gemini" },
    { label: "an empty key", payload: { api_keys: { anthropic: "" } }, path: "api_keys.anthropic" },
    { label: "a key with a space", payload: { api_keys: { openai: "sk-abc 12345" } }, path: "api_keys.openai" },
    { label: "a key with a tab", payload: { api_keys: { openai: "sk-abc\t12345" } }, path: "api_keys.openai" },
    { label: "a key with a trailing newline", payload: { api_keys: { openai: "sk-abc12345\n" } }, path: "api_keys.openai" },
    { label: "a key with a NUL", payload: { api_keys: { openai: "sk-abc\u000012345" } }, path: "api_keys.openai" },
    { label: "a key with a non-ASCII letter", payload: { api_keys: { exa: "sk-abcé12345" } }, path: "api_keys.exa" },
    { label: "a key with DEL (0x7F)", payload: { api_keys: { serper: "sk-abc\u007f12345" } }, path: "api_keys.serper" },
    { label: "a key that is a number", payload: { api_keys: { openai: 1234567890 } }, path: "api_keys.openai" },
    { label: "a key that is null", payload: { api_keys: { openai: null } }, path: "api_keys.openai" },
    { label: "an unknown provider", payload: { api_keys: { cohere: "co-1234567890" } }, path: "api_keys.cohere" },
    { label: "a provider in the wrong case", payload: { api_keys: { OpenAI: "sk-1234567890" } }, path: "api_keys.OpenAI" },
    { label: "no api_keys", payload: {}, path: "api_keys" },
    { label: "api_keys as a list", payload: { api_keys: ["sk-1234567890"] }, path: "api_keys" },
    { label: "a field beside api_keys", payload: { api_keys: { openai: "sk-1234567890" }, user_id: "user_other" }, path: "user_id" },
  ])("refuses $label at $path", ({ payload, path }) => {
    expect(failingPaths(payload)).toEqual([path]);
  });

  it("says why a key was refused", () => {
    const messages = (key: string) => apiKeySchema.safeParse(key).error?.issues.map((issue) => issue.message);

    expect(messages("short")).toEqual(["an API key has at least 8 characters"]);
    expect(messages("k".repeat(513))).toEqual(["an API key has at most 512 characters"]);
    expect(messages("has whitespace")).toEqual(["an API key is printable characters without whitespace"]);
  });

  it("names every bad key of a payload, not only the first", () => {
    expect(failingPaths({ api_keys: { openai: "short", gemini: "ok-key-12345", cohere: "co-1234567890" } }).sort()).toEqual([
      "api_keys.cohere",
      "api_keys.openai",
    ]);
  });
});

describe("looksLikeMask", () => {
  it.each([
    ["****************0001", true],
    ["********", true],
    ["****abcd", true],
    ["***abcdefgh", false],
    ["sk-****abcd", false],
    ["sk-test-0001", false],
  ])("%s → %s", (key, expected) => {
    expect(looksLikeMask(key)).toBe(expected);
  });
});
