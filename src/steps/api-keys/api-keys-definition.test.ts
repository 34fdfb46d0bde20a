import { describe, expect, it } from "vitest";
import { apiKeyContext } from "../../crypto/secret-cipher.js";
import { ValidationFailed } from "../../errors/app-errors.js";
import type { JsonObject } from "../../onboarding/onboarding-record.js";
import type { StepUseContext } from "../../onboarding/step-definition.js";
import { sealedKeys, testCipher } from "../../test-support/sample-steps.js";
import { apiKeysDefinition, storedKeys } from "./api-keys-definition.js";

const cipher = testCipher();
const definition = apiKeysDefinition(cipher);
const USER = "user_2abc123xyz";
const NEEDS_LLM_KEY = "save a key for at least one language model provider: openai, gemini, anthropic, mistral";

function context(environmentProviders: string[] = [], userId = USER): StepUseContext {
  return { userId, environmentProviders: new Set(environmentProviders) };
}

function opened(stored: JsonObject, provider: string, userId = USER): string {
  const key = storedKeys(stored)[provider]!;
  return cipher.open({ ciphertext: key.ciphertext, keyVersion: key.key_version }, apiKeyContext(userId, provider));
}

describe("step 1 completion rules", () => {
  it("refuses to complete with nothing saved", () => {
    expect(definition.completionErrors(null, context())).toEqual([NEEDS_LLM_KEY]);
  });

  it("refuses to complete with research and integration keys only", () => {
    const stored = sealedKeys(cipher, USER, { exa: "exa-key-00001", tavily: "tvly-key-0001", copilotkit: "ck-key-00001" });

    expect(definition.completionErrors(stored, context())).toEqual([NEEDS_LLM_KEY]);
  });

  it.each(["openai", "gemini", "anthropic", "mistral"])("completes with a %s key alone", (provider) => {
    expect(definition.completionErrors(sealedKeys(cipher, USER, { [provider]: "llm-key-00001" }), context())).toEqual([]);
  });

  it("completes with an LLM provider's key in the server's environment and nothing saved", () => {
    expect(definition.completionErrors(null, context(["gemini"]))).toEqual([]);
  });

  it("does not count a research provider's key in the environment", () => {
    expect(definition.completionErrors(null, context(["exa", "serper"]))).toEqual([NEEDS_LLM_KEY]);
  });
});

describe("step 1 stored form: keys sealed, write-only", () => {
  it("seals each key sent for this user and provider, keeping only its last 4 characters in clear", () => {
    const stored = definition.toStored({ api_keys: { openai: "sk-proj-secret-9876" } }, null, context());

    expect(opened(stored, "openai")).toBe("sk-proj-secret-9876");
    expect(storedKeys(stored).openai).toMatchObject({ key_version: cipher.currentVersion, last4: "9876" });
    expect(JSON.stringify(stored)).not.toContain("sk-proj-secret");
    expect(() => opened(stored, "openai", "user_someone_else")).toThrow(/authentication failed/);
    expect(() => opened(stored, "gemini")).toThrow();
  });

  it("keeps the keys not sent, unchanged", () => {
    const current = definition.toStored({ api_keys: { openai: "sk-first-key-0001" } }, null, context());

    const next = definition.toStored({ api_keys: { exa: "exa-second-0002" } }, current, context());

    expect(Object.keys(storedKeys(next)).sort()).toEqual(["exa", "openai"]);
    expect(storedKeys(next).openai).toEqual(storedKeys(current).openai);
    expect(opened(next, "exa")).toBe("exa-second-0002");
  });

  it("replaces a key when a new one is sent for the same provider", () => {
    const current = definition.toStored({ api_keys: { openai: "sk-first-key-0001" } }, null, context());

    const next = definition.toStored({ api_keys: { openai: "sk-second-key-0002" } }, current, context());

    expect(opened(next, "openai")).toBe("sk-second-key-0002");
    expect(storedKeys(next).openai?.last4).toBe("0002");
  });

  it("leaves a key as it is when the client echoes its current mask", () => {
    const current = definition.toStored({ api_keys: { openai: "sk-first-key-0001" } }, null, context());
    const mask = (definition.present(current)?.api_keys as Record<string, string>).openai!;

    const next = definition.toStored({ api_keys: { openai: mask } }, current, context());

    expect(storedKeys(next).openai).toEqual(storedKeys(current).openai);
  });

  it("refuses a mask that stands for no stored key, naming the field", () => {
    const attempt = () => definition.toStored({ api_keys: { gemini: "************0001" } }, null, context());

    expect(attempt).toThrow(ValidationFailed);
    expect(attempt).toThrow("The key for gemini looks like a mask; send the key itself");
    try {
      attempt();
    } catch (error) {
      expect((error as ValidationFailed).errors).toEqual([{ path: "data.api_keys.gemini", message: "send the key itself, not its mask" }]);
    }
  });

  it("refuses another key's mask sent for a provider that has a key", () => {
    const current = definition.toStored({ api_keys: { openai: "sk-first-key-0001" } }, null, context());

    expect(() => definition.toStored({ api_keys: { openai: "*************9999" } }, current, context())).toThrow(ValidationFailed);
  });
});

describe("step 1 as clients see it", () => {
  it("shows each key as stars and its last 4 characters, never the key or its ciphertext", () => {
    const stored = definition.toStored({ api_keys: { openai: "sk-test-openai-0001", mistral: "mistral-abcd" } }, null, context());

    const shown = definition.present(stored);

    expect(shown).toEqual({ api_keys: { openai: `${"*".repeat(15)}0001`, mistral: "********abcd" } });
    expect(JSON.stringify(shown)).not.toContain(storedKeys(stored).openai!.ciphertext);
  });

  it("shows nothing for nothing saved", () => {
    expect(definition.present(null)).toBeNull();
  });

  it("describes a save by the providers it touched, for the log", () => {
    expect(definition.describeSave({ api_keys: { openai: "sk-x-12345678", exa: "exa-12345678" } })).toEqual(["API key for openai", "API key for exa"]);
  });
});
