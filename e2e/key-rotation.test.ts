import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { registerRotateEncryptionKeyCommand } from "../src/cli/commands/rotate-encryption-key-command.js";
import { runTestCommand } from "../src/cli/shared/command-test-runner.js";
import { createServices } from "../src/composition/services.js";
import { loadConfig } from "../src/config/config.js";
import { keyVersionOf } from "../src/crypto/key-version.js";
import { createLogger } from "../src/logging/logger.js";
import { ApiClient } from "../src/test-support/api-client.js";
import { startChatCompletionsServer, type ChatCompletionsTestServer } from "../src/test-support/chat-completions-test-server.js";
import { FIXTURE_PAGE } from "../src/test-support/fixture-page.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../src/test-support/test-database.js";
import { htmlPage, startPageServer, type TestPageServer } from "../src/test-support/test-page-server.js";
import { closedModelProviders } from "../src/test-support/closed-model-providers.js";

const OLD_KEY = randomBytes(32).toString("base64");
const NEW_KEY = randomBytes(32).toString("base64");
const USER_OPENAI_KEY = "sk-rotation-user-openai-4242";

/**
 * A rotation as operators run it, through the real app: keys saved under the old key, servers
 * restarted with both keys, the rotation, then servers with the new key alone. The user's own
 * OpenAI key reaches the (local) model provider at every stage.
 */
describe.each(TEST_DIALECTS)("encryption key rotation with the server running on %s", (dialect) => {
  let test: TestDatabase;
  let chat: ChatCompletionsTestServer;
  let site: TestPageServer;

  beforeEach(async () => {
    test = await openTestDatabase(dialect);
    chat = await startChatCompletionsServer(() => ({ content: "{}" }));
    site = await startPageServer({ "/": htmlPage(FIXTURE_PAGE) });
  });
  afterEach(async () => {
    await chat.close();
    await site.close();
    await test.cleanup();
  });

  /** One app server with these keys (as its environment would give them), on the shared test database. */
  async function serverWith(keys: Record<string, string>) {
    const config = loadConfig({
      ...keys,
      STORAGE_MODE: "database",
      ...closedModelProviders(),
      OPENAI_BASE_URL: chat.baseUrl.href,
      WEBSITE_FETCH_ALLOW_PRIVATE: "true",
      LOCAL_ENV_KEYS: "false",
      DATA_DIR: join(test.tempDir, "data"),
    });
    const services = await createServices(config, createLogger("silent"), { database: test.database });
    const app = await buildApp({ services });
    return { services, app, close: () => app.close() };
  }

  async function analyseAs(app: Awaited<ReturnType<typeof serverWith>>["app"], user: string): Promise<string | undefined> {
    const api = await ApiClient.signIn(app, user);
    const before = chat.requests.length;
    expect((await api.post("/website/analyze", { website: `${site.origin}/` })).status).toBe(200);
    return chat.requests.slice(before).at(-1)?.headers.authorization;
  }

  const keyVersions = async () =>
    (await test.database.kysely.selectFrom("api_keys").select(["provider", "key_version"]).orderBy("provider").execute()).map((row) => [row.provider, row.key_version]);

  it("reads keys of both versions while rotating, seals new ones with the new key, and needs the old key no more afterwards", async () => {
    const before = await serverWith({ ENCRYPTION_KEY: OLD_KEY });
    const api = await ApiClient.signIn(before.app, "user_rotating");
    expect((await api.post("/step/1/complete", { data: { api_keys: { openai: USER_OPENAI_KEY } } })).status).toBe(200);
    await before.close();
    expect(await keyVersions()).toEqual([["openai", keyVersionOf(Buffer.from(OLD_KEY, "base64"))]]);

    const rotating = await serverWith({ ENCRYPTION_KEY: NEW_KEY, ENCRYPTION_KEY_PREVIOUS: OLD_KEY });
    expect(await analyseAs(rotating.app, "user_rotating")).toBe(`Bearer ${USER_OPENAI_KEY}`);
    const rotatingApi = await ApiClient.signIn(rotating.app, "user_rotating");
    expect((await rotatingApi.post("/api-keys", { provider: "exa", api_key: "exa-saved-while-rotating-77" })).status).toBe(200);
    const newVersion = keyVersionOf(Buffer.from(NEW_KEY, "base64"));
    expect(await keyVersions()).toEqual([
      ["exa", newVersion],
      ["openai", keyVersionOf(Buffer.from(OLD_KEY, "base64"))],
    ]);

    const rotation = await runTestCommand(registerRotateEncryptionKeyCommand, ["rotate-encryption-key", "--json"], {
      database: test.database,
      cipher: rotating.services.cipher,
      env: { STORAGE_MODE: "database" },
    });
    expect(rotation.exitCode).toBe(0);
    expect(JSON.parse(rotation.stdout)).toMatchObject({ database: { resealed: 1, already_current: 1, failed: 0 }, complete: true });
    await rotating.close();

    const after = await serverWith({ ENCRYPTION_KEY: NEW_KEY });
    expect(await keyVersions()).toEqual([
      ["exa", newVersion],
      ["openai", newVersion],
    ]);
    expect(await analyseAs(after.app, "user_rotating")).toBe(`Bearer ${USER_OPENAI_KEY}`);
    await after.close();
  });
});
