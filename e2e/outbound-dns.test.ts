import { execFileSync } from "node:child_process";
import { constants, openSync, closeSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/test-support/api-client.js";
import { startChatCompletionsServer } from "../src/test-support/chat-completions-test-server.js";
import { FIXTURE_PAGE } from "../src/test-support/fixture-page.js";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { startDnsServer } from "../src/test-support/test-dns-server.js";
import { htmlPage, startPageServer } from "../src/test-support/test-page-server.js";
import { sparePort } from "../src/test-support/spare-port.js";

/** Model calls (with a user's own key) and website fetches resolve names with the app's own resolver, off libuv's threadpool. */
describe("DNS of calls made on users' behalf", () => {
  let t: TestApp | undefined;
  const closers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await t?.close();
    await Promise.all(closers.splice(0).map((closer) => closer.close()));
  });
  const track = <T extends { close(): Promise<void> }>(closer: T): T => {
    closers.push(closer);
    return closer;
  };

  async function userPastStepOne(app: TestApp, user: string): Promise<ApiClient> {
    const api = await ApiClient.signIn(app.app, user);
    const saved = await api.post("/step/1/complete", { data: { api_keys: { openai: `sk-${user}-own-key-1234` } } });
    expect(saved.status, saved.text).toBe(200);
    return api;
  }

  it("resolves the provider's host and the site's through OUTBOUND_DNS_SERVERS, and still refuses a name that resolves to a private address", async () => {
    const chat = track(await startChatCompletionsServer(() => ({ content: "{}" })));
    const site = track(await startPageServer({ "/": htmlPage(FIXTURE_PAGE) }));
    const dns = track(await startDnsServer({ records: { "llm.provider.test": ["127.0.0.1"], "site.test": ["127.0.0.1"] } }));
    const env = { STORAGE_MODE: "database", OPENAI_BASE_URL: `http://llm.provider.test:${chat.baseUrl.port}/v1`, OUTBOUND_DNS_SERVERS: dns.address };

    t = await openTestApp("sqlite", { ...env, WEBSITE_FETCH_ALLOW_PRIVATE: "true" });
    const api = await userPastStepOne(t, "user_named_hosts");
    const analysed = await api.post("/website/analyze", { website: `http://site.test:${site.port}/` });
    expect(analysed.status, analysed.text).toBe(200);
    expect(analysed.body.status).toBe("completed");
    expect(chat.requests.map((r) => r.headers.authorization)).toEqual(["Bearer sk-user_named_hosts-own-key-1234"]);
    expect(dns.queries.map((q) => q.name)).toEqual(expect.arrayContaining(["site.test", "llm.provider.test"]));
    await t.close();

    t = await openTestApp("sqlite", env);
    const refused = await (await userPastStepOne(t, "user_ssrf")).post("/website/analyze", { website: `http://site.test:${site.port}/` });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: "website", message: "This website cannot be analysed: its name leads to a loopback network address, which is never fetched" }]);
    expect(site.hits).toEqual(["/"]);
  });

  it("a DNS server that never answers holds no thread: other users' saves (token checks, file writes) stay as fast as before", async () => {
    const site = track(await startPageServer({ "/": htmlPage(FIXTURE_PAGE) }));
    const dns = track(await startDnsServer({ swallow: true }));
    t = await openTestApp("sqlite", {
      STORAGE_MODE: "dual",
      WEBSITE_FETCH_ALLOW_PRIVATE: "true",
      // Not port 9: fetch refuses the ports of the Fetch standard's bad-port list before any lookup.
      OPENAI_BASE_URL: `http://llm.provider.test:${await sparePort()}/v1`,
      OUTBOUND_DNS_SERVERS: dns.address,
      OUTBOUND_DNS_TIMEOUT_MS: "6000",
    });
    const app = t;
    const modelCallers = await Promise.all(Array.from({ length: 8 }, (_, i) => userPastStepOne(app, `user_model_${i}`)));
    const siteCallers = await Promise.all(Array.from({ length: 8 }, (_, i) => userPastStepOne(app, `user_site_${i}`)));
    const others = await Promise.all(Array.from({ length: 8 }, (_, i) => ApiClient.signIn(app.app, `user_other_${i}`)));
    // Each round: 8 users save a key at once (token verification, sealing, the database, then the progress file).
    let round = 0;
    const saveRounds = async (rounds: number) => {
      const started = performance.now();
      for (let r = 0; r < rounds; r++, round++) {
        const answers = await Promise.all(others.map((api, i) => api.post("/api-keys", { provider: "exa", api_key: `exa-round-${round}-user-${i}` })));
        for (const answer of answers) expect(answer.status, answer.text).toBe(200);
        // The progress files follow the answers (dual mode writes them after the commit): the round ends with them.
        await app.services.store.settled();
      }
      return performance.now() - started;
    };
    await saveRounds(2); // warm up: files and folders exist, code paths compiled
    const baseline = await saveRounds(5);

    let settled = 0;
    const analyses = [
      ...modelCallers.map((api) => api.post("/website/analyze", { website: `${site.origin}/` })),
      ...siteCallers.map((api, i) => api.post("/website/analyze", { website: `http://site-${i}.test:${site.port}/` })),
    ].map((answer) => answer.finally(() => settled++));
    // The model's name is asked once the SDK has loaded (its first call imports it), maybe after the sites' retries.
    await until(() => new Set(dns.queries.filter((q) => q.type === 1).map((q) => q.name)).size >= 9, "every hanging name asked");
    expect(new Set(dns.queries.map((q) => q.name))).toEqual(new Set(["llm.provider.test", ...siteCallers.map((_, i) => `site-${i}.test`)]));

    const whileHanging = await saveRounds(5);
    expect(settled).toBe(0);

    // The same measure is blind to nothing: with the threadpool's threads held, the saves wait for them.
    const held = await holdThreadpool(join(app.db.tempDir, "hold.fifo"));
    const holdMs = 1_500;
    const whileHeld = saveRounds(1);
    await new Promise((resolve) => setTimeout(resolve, holdMs));
    expect(settled).toBe(0);
    await held.release();
    expect(await whileHeld).toBeGreaterThanOrEqual(holdMs - 50);

    expect(whileHanging).toBeLessThan(baseline * 3 + 500);
    expect(whileHanging).toBeLessThan(holdMs);

    const answers = await Promise.all(analyses);
    for (const answer of answers.slice(0, 8)) expect(answer.body).toMatchObject({ status: "completed", llm_enriched: false });
    for (const answer of answers.slice(8)) expect(answer.body).toMatchObject({ status: "failed", error_message: "The site's address could not be found." });
    expect(app.logs.join("")).toContain("could not reach OpenAI (ETIMEOUT)");
  }, 60_000);
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Takes every libuv threadpool thread: opening a FIFO for reading blocks (in the pool) until a
 * writer opens it. `release` opens the writer's end, which lets every blocked open finish.
 */
async function holdThreadpool(path: string): Promise<{ release(): Promise<void> }> {
  execFileSync("mkfifo", [path]);
  const size = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const readers: Promise<FileHandle>[] = Array.from({ length: size }, () => open(path, "r"));
  await new Promise((resolve) => setTimeout(resolve, 50));
  return {
    release: async () => {
      const writer = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
      const handles = await Promise.all(readers);
      closeSync(writer);
      await Promise.all(handles.map((handle) => handle.close()));
    },
  };
}
