import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.js";
import { OutboundAgent } from "../net/outbound-agent.js";
import { emptyStep, type JsonObject, type OnboardingRecord } from "../onboarding/onboarding-record.js";
import { STEP_NUMBERS } from "../onboarding/step-catalogue.js";
import { sealedKeys, testCipher } from "../test-support/sample-steps.js";
import { chatClientFor } from "./user-chat-client.js";

const cipher = testCipher();
const agent = new OutboundAgent((_host, _options, callback) => callback(new Error("no lookups in this test"), "", 0));
const dir = mkdtempSync(join(tmpdir(), "chat-client-for-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function recordWith(userId: string, stepOne: JsonObject | null): OnboardingRecord {
  const steps = STEP_NUMBERS.map((n) => (n === 1 ? { ...emptyStep(1), data: stepOne } : emptyStep(n)));
  return { userId, startedAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z", completedAt: null, steps };
}

function choose(env: Record<string, string>, userId: string, stepOne: JsonObject | null, environment: NodeJS.ProcessEnv = {}) {
  const config = loadConfig({ LOCAL_ENV_KEYS: "false", ...env });
  return chatClientFor({ config, cipher, agent, environment: { env: environment, workingDir: dir } })(userId, recordWith(userId, stepOne));
}

/** SPEC §6 "Which model", the order of the sources. */
describe("chatClientFor", () => {
  const both = (userId: string) => sealedKeys(cipher, userId, { mistral: "mist-user-key-0001", gemini: "AIza-user-key-0002" });

  it("takes the user's own key first: the preferred provider, else the first of openai, gemini, anthropic, mistral", () => {
    const server = { LLM_API_KEY: "sk-server-0001" };
    expect(choose(server, "user_a", both("user_a"))?.source).toBe("gemini");
    expect(choose(server, "user_a", { ...both("user_a"), preferred_provider: "mistral" })?.source).toBe("mistral");
    expect(choose(server, "user_a", both("user_a"))?.providerLabel).toBe("Gemini");
  });

  it("then the server's LLM_* (only with a key), then LOCAL_ENV_KEYS's environment key, else none", () => {
    const onlyExa = sealedKeys(cipher, "user_b", { exa: "exa-user-key-0003" });
    expect(choose({ LLM_API_KEY: "sk-server-0001" }, "user_b", onlyExa)?.source).toBe("server");
    expect(choose({ LLM_BASE_URL: "http://127.0.0.1:9/v1" }, "user_b", onlyExa)).toBeUndefined();
    expect(choose({ LOCAL_ENV_KEYS: "true" }, "user_b", onlyExa, { ANTHROPIC_API_KEY: "sk-ant-env-0004" })?.source).toBe("environment");
    expect(choose({ LOCAL_ENV_KEYS: "false" }, "user_b", onlyExa, { ANTHROPIC_API_KEY: "sk-ant-env-0004" })).toBeUndefined();
    expect(choose({ LOCAL_ENV_KEYS: "true" }, "user_b", null, {})).toBeUndefined();
  });

  it("reads an environment key from .env at the call, not at start", () => {
    const config = loadConfig({ LOCAL_ENV_KEYS: "true" });
    const forUser = chatClientFor({ config, cipher, agent, environment: { env: {}, workingDir: dir } });
    expect(forUser("user_c", recordWith("user_c", null))).toBeUndefined();
    writeFileSync(join(dir, ".env"), "MISTRAL_API_KEY=mist-dotenv-0005\n");
    expect(forUser("user_c", recordWith("user_c", null))).toMatchObject({ source: "environment", providerLabel: "Mistral" });
  });

  it("makes a new client for every call: nothing of one user's call is kept for the next", () => {
    const config = loadConfig({ LOCAL_ENV_KEYS: "false" });
    const forUser = chatClientFor({ config, cipher, agent });
    const record = recordWith("user_d", both("user_d"));
    expect(forUser("user_d", record)).not.toBe(forUser("user_d", record));
  });
});
