import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { apiKeyContext, SecretCipher } from "../../crypto/secret-cipher.js";
import { sealedKeys } from "../../test-support/sample-steps.js";
import { TEST_DIALECTS } from "../../test-support/test-database.js";
import { itKeepsTheStepTableContract } from "../../test-support/step-table-contract.js";
import { useStepTable } from "../../test-support/step-table-harness.js";
import { apiKeysFileCodec, apiKeysPersistence } from "./api-keys-persistence.js";
import type { StoredApiKeys } from "./api-keys-schema.js";

// The version is derived from the key (never 1), so key_version cannot pass by being a default.
const cipher = SecretCipher.fromBase64(randomBytes(32).toString("base64"));

describe.each(TEST_DIALECTS)("step 1 persistence (api_keys) on %s", (dialect) => {
  const harness = useStepTable(dialect, apiKeysPersistence(cipher));
  itKeepsTheStepTableContract(harness, {
    table: "api_keys",
    sample: (tag, userId) => sealedKeys(cipher, userId, { openai: `sk-proj-${tag}-secret-0001`, exa: `exa-${tag}-secret-0002` }),
  });
  const { save, readData } = harness;

  const rowsOf = (userId: string) =>
    harness.test.database.kysely
      .selectFrom("api_keys")
      .innerJoin("onboarding_sessions", "onboarding_sessions.id", "api_keys.session_id")
      .selectAll("api_keys")
      .where("onboarding_sessions.user_id", "=", userId)
      .orderBy("api_keys.provider")
      .execute();

  it("holds one row per provider with ciphertext, last 4 and key version, never the plaintext", async () => {
    const saved = sealedKeys(cipher, "user_a", { openai: "sk-proj-secret-0001", exa: "exa-secret-0002" });
    await save("user_a", saved);

    const rows = await rowsOf("user_a");

    const sealed = (saved as unknown as StoredApiKeys).api_keys;
    expect(rows.map((row) => [row.provider, row.key_ciphertext, row.key_last4, row.key_version])).toEqual([
      ["exa", sealed.exa!.ciphertext, "0002", cipher.currentVersion],
      ["openai", sealed.openai!.ciphertext, "0001", cipher.currentVersion],
    ]);
    const raw = JSON.stringify(rows);
    expect(raw).not.toContain("sk-proj-secret");
    expect(raw).not.toContain("exa-secret");
    for (const row of rows) {
      expect(cipher.open({ ciphertext: row.key_ciphertext, keyVersion: row.key_version }, apiKeyContext("user_a", row.provider))).toMatch(/-secret-/);
    }
  });

  it("keeps preferred_provider as the flag of that key's row, and moves it on a later save", async () => {
    const keys = sealedKeys(cipher, "user_pref", { openai: "sk-proj-secret-0001", gemini: "AIza-secret-0003" });
    await save("user_pref", { ...keys, preferred_provider: "gemini" });
    expect((await rowsOf("user_pref")).map((row) => [row.provider, Boolean(row.preferred)])).toEqual([
      ["gemini", true],
      ["openai", false],
    ]);
    expect(await readData("user_pref")).toEqual({ ...keys, preferred_provider: "gemini" });

    await save("user_pref", { ...keys, preferred_provider: "openai" });
    expect((await rowsOf("user_pref")).map((row) => [row.provider, Boolean(row.preferred)])).toEqual([
      ["gemini", false],
      ["openai", true],
    ]);
    await save("user_pref", keys);
    expect(await readData("user_pref")).toEqual(keys);
  });

  it("replaces the rows on a second save: changed keys updated, dropped providers deleted, no row added", async () => {
    const firstNow = await save("user_a", sealedKeys(cipher, "user_a", { openai: "sk-first-key-0001", exa: "exa-first-0002" }));
    const [firstOpenai] = (await rowsOf("user_a")).filter((row) => row.provider === "openai");

    const secondNow = await save("user_a", sealedKeys(cipher, "user_a", { openai: "sk-second-key-0003", gemini: "AIza-second-0004" }));

    const rows = await rowsOf("user_a");
    expect(rows.map((row) => [row.provider, row.key_last4])).toEqual([
      ["gemini", "0004"],
      ["openai", "0003"],
    ]);
    const openai = rows.find((row) => row.provider === "openai")!;
    expect(openai.id).toBe(firstOpenai!.id);
    expect(new Date(openai.created_at).toISOString()).toBe(firstNow);
    expect(new Date(openai.updated_at).toISOString()).toBe(secondNow);
    expect(cipher.open({ ciphertext: openai.key_ciphertext, keyVersion: openai.key_version }, apiKeyContext("user_a", "openai"))).toBe("sk-second-key-0003");
  });

  it("keeps each user's keys to their own session", async () => {
    const a = sealedKeys(cipher, "user_a", { openai: "sk-user-a-key-0001" });
    const b = sealedKeys(cipher, "user_b", { openai: "sk-user-b-key-0002", tavily: "tvly-user-b-0003" });
    await save("user_a", a);
    await save("user_b", b);

    await save("user_a", sealedKeys(cipher, "user_a", { gemini: "AIza-user-a-0004" }));
    await save("user_b", null);

    expect(await readData("user_b")).toBeNull();
    expect(Object.keys((await readData("user_a"))?.api_keys as object)).toEqual(["gemini"]);
    expect((await rowsOf("user_a")).map((row) => row.provider)).toEqual(["gemini"]);
    expect(await harness.test.database.kysely.selectFrom("api_keys").select("provider").execute()).toEqual([{ provider: "gemini" }]);
  });

  it("holds each user's providers and last 4 in that user's own rows", async () => {
    await save("user_a", sealedKeys(cipher, "user_a", { openai: "sk-user-a-key-0001" }));
    await save("user_b", sealedKeys(cipher, "user_b", { anthropic: "sk-ant-user-b-0002" }));

    expect(Object.keys((await readData("user_a"))?.api_keys as object)).toEqual(["openai"]);
    expect(Object.keys((await readData("user_b"))?.api_keys as object)).toEqual(["anthropic"]);
    expect((await rowsOf("user_a")).map((row) => row.key_last4)).toEqual(["0001"]);
    expect((await rowsOf("user_b")).map((row) => row.key_last4)).toEqual(["0002"]);
    expect(await readData("user_nobody")).toBeNull();
  });
});

describe("step 1 in progress files", () => {
  const codec = apiKeysFileCodec(cipher);
  const context = { userId: "user_file", mode: "file" } as never;

  it.each(["file", "dual"] as const)("%s mode writes preferred_provider beside the masks, and file mode reads it back", (mode) => {
    const keys = sealedKeys(cipher, "user_file", { mistral: "mist-secret-0004", anthropic: "sk-ant-secret-0005" });
    const file = codec.toFile({ ...keys, preferred_provider: "mistral" }, mode, context);
    expect(file.preferred_provider).toBe("mistral");
    expect(JSON.stringify(file)).not.toContain("secret");
    if (mode === "file") expect(codec.fromFile(file, context)).toEqual({ ...keys, preferred_provider: "mistral" });
  });

  it("drops a preference that names no saved model key", () => {
    const keys = sealedKeys(cipher, "user_file", { openai: "sk-proj-secret-0001", exa: "exa-secret-0002" });
    const file = { ...codec.toFile(keys, "file", context), preferred_provider: "exa" };
    expect(codec.fromFile(file, context)).toEqual(keys);
    expect(codec.fromFile({ ...file, preferred_provider: "gemini" }, context)).toEqual(keys);
  });
});
