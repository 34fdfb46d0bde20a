import { afterEach, describe, expect, it } from "vitest";
import { startChatCompletionsServer, type ChatCompletionsTestServer, type ChatServerReply } from "../../../test-support/chat-completions-test-server.js";
import type { AiSdkChatClient } from "../../../llm/ai-sdk-chat-client.js";
import { testChatClient } from "../../../test-support/test-chat-client.js";
import type { JsonObject } from "../../../onboarding/onboarding-record.js";
import { analyzeWebsite, type WebsiteAnalysis } from "./analyze-website.js";

const LLM_FALLBACK_WARNING = "The language model was not available; this analysis uses the measured metrics only.";
import { MAX_EXCERPT_CHARS } from "./llm-enrichment.js";
import { computePageMetrics } from "./page-metrics.js";
import { FIXTURE_PAGE } from "../../../test-support/fixture-page.js";
import { htmlPage, startPageServer, type TestPageServer } from "../../../test-support/test-page-server.js";
import { WebsiteFetchRefused } from "./website-fetch-errors.js";
import { ANALYSIS_FIELDS } from "../../../onboarding/analysis-fields.js";

const API_KEY = "sk-analysis-SECRET-key-42";
const closers: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((server) => server.close()));
});

async function site(routes: Parameters<typeof startPageServer>[0]): Promise<TestPageServer> {
  const server = await startPageServer(routes);
  closers.push(server);
  return server;
}

async function fixtureSite(): Promise<string> {
  return `${(await site({ "/": htmlPage(FIXTURE_PAGE) })).origin}/`;
}

async function model(reply: ChatServerReply, as: { source?: "openai"; providerLabel?: string } = {}): Promise<{ server: ChatCompletionsTestServer; chat: AiSdkChatClient }> {
  const server = await startChatCompletionsServer(() => reply);
  closers.push(server);
  return { server, chat: testChatClient({ baseUrl: server.baseUrl, apiKey: API_KEY, model: "analysis-model", ...as }) };
}

function nineFields(analysis: WebsiteAnalysis): JsonObject {
  return Object.fromEntries(ANALYSIS_FIELDS.map((name) => [name, analysis[name]]));
}

describe("analyzeWebsite without a model", () => {
  it("analyses a page deterministically, with every field an object", async () => {
    const url = await fixtureSite();

    const analysis = await analyzeWebsite(url, { allowPrivate: true });

    expect(analysis.status).toBe("completed");
    expect(analysis.error_message).toBeNull();
    expect(analysis.warning_message).toBeNull();
    expect(analysis.website_url).toBe(url);
    expect(analysis.llm_enriched).toBe(false);
    expect(analysis.metrics).toEqual(computePageMetrics(FIXTURE_PAGE));
    for (const name of ANALYSIS_FIELDS) expect(analysis[name], name).toEqual(expect.any(Object));
    expect(analysis.writing_style).toMatchObject({ tone: "enthusiastic", voice: "first person plural (we, our)", complexity: "simple", reading_level: "very easy" });
    expect(analysis.target_audience).toMatchObject({ primary: "developers", hints: ["developers", "beginners"], expertise_level: "beginner" });
    expect(analysis.content_type).toMatchObject({ primary: "technical documentation", format: "short page", title: "Acme Docs" });
    expect(analysis.recommended_settings).toMatchObject({ writing_tone: "enthusiastic", target_audience: "developers", content_length: "medium (600-1000 words)" });
    expect(JSON.parse(JSON.stringify(analysis))).toEqual(analysis);
    const storable: JsonObject = analysis;
    expect(storable.status).toBe("completed");
  });

  it("gives the same analysis for the same page twice", async () => {
    const url = await fixtureSite();

    const first = await analyzeWebsite(url, { allowPrivate: true });
    const second = await analyzeWebsite(url, { allowPrivate: true });

    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it("throws WebsiteFetchRefused for a loopback URL when private addresses are not allowed", async () => {
    const url = await fixtureSite();

    await expect(analyzeWebsite(url, { allowPrivate: false })).rejects.toBeInstanceOf(WebsiteFetchRefused);
  });

  it("reports a page it cannot read as failed, with empty objects", async () => {
    const server = await site({});

    const logged: string[] = [];
    const analysis = await analyzeWebsite(`${server.origin}/gone`, { allowPrivate: true, onPageFailure: (why) => void logged.push(why) });

    expect(analysis.status).toBe("failed");
    // The person reads what happened; the log gets the address and the status.
    expect(analysis.error_message).toBe("The site did not send the page: it may not exist, or the site refused to show it.");
    expect(logged).toEqual([`${server.origin}/gone answered HTTP 404`]);
    expect(analysis.metrics).toEqual({});
    for (const name of ANALYSIS_FIELDS) expect(analysis[name], name).toEqual({});
  });

  it("reports a page nested too deeply to parse as failed", async () => {
    const html = `<html><body>${"<div>".repeat(5000)}x${"</div>".repeat(5000)}</body></html>`;
    const server = await site({ "/": htmlPage(html) });

    const logged: string[] = [];
    const analysis = await analyzeWebsite(`${server.origin}/`, { allowPrivate: true, onPageFailure: (why) => void logged.push(why) });

    expect(analysis.status).toBe("failed");
    expect(analysis.error_message).toBe("The page could not be read.");
    expect(logged[0]).toContain("nests elements");
  });
});

describe("analyzeWebsite with a model", () => {
  const modelAnswer = {
    writing_style: { tone: "playful", humour: "light" },
    brand_analysis: { brand_values: ["speed", "simplicity"] },
    metrics: { word_count: 999_999 },
    status: "failed",
  };

  it("merges the model's objects over the deterministic fields and keeps the metrics measured", async () => {
    const url = await fixtureSite();
    const { server, chat } = await model({ content: JSON.stringify(modelAnswer) });
    const plain = await analyzeWebsite(url, { allowPrivate: true });

    const analysis = await analyzeWebsite(url, { allowPrivate: true, chat });

    expect(analysis.status).toBe("completed");
    expect(analysis.llm_enriched).toBe(true);
    expect(analysis.llm_provider).toBe("server");
    expect(analysis.warning_message).toBeNull();
    expect(analysis.writing_style).toEqual({ ...plain.writing_style, tone: "playful", humour: "light" });
    expect(analysis.brand_analysis).toEqual({ ...plain.brand_analysis, brand_values: ["speed", "simplicity"] });
    expect(analysis.content_type).toEqual(plain.content_type);
    expect(analysis.target_audience).toEqual(plain.target_audience);
    expect(analysis.metrics).toEqual(plain.metrics);
    const request = server.requests[0]?.body as { messages: { role: string; content: string }[]; model: string };
    expect(request.model).toBe("analysis-model");
    const sent = JSON.parse(request.messages[1]?.content ?? "{}") as JsonObject;
    expect(sent).toMatchObject({ title: "Acme Docs", headings: { h1: ["Build faster"] }, metrics: plain.metrics });
    expect(sent.text_excerpt).toContain("You will love our API!");
    expect(request.messages[0]?.content).toContain("style_guidelines");
  });

  it("sends at most a bounded excerpt of a long page", async () => {
    const sentence = "Our writing platform helps every team publish clear articles quickly.";
    const server = await site({ "/": htmlPage(`<html><body>${`<p>${sentence}</p>`.repeat(500)}</body></html>`) });
    const { server: llm, chat } = await model({ content: JSON.stringify(modelAnswer) });

    await analyzeWebsite(`${server.origin}/`, { allowPrivate: true, chat });

    const request = llm.requests[0]?.body as { messages: { content: string }[] };
    const excerpt = (JSON.parse(request.messages[1]?.content ?? "{}") as { text_excerpt: string }).text_excerpt;
    expect(excerpt.length).toBeGreaterThan(MAX_EXCERPT_CHARS - 100);
    expect(excerpt.length).toBeLessThanOrEqual(MAX_EXCERPT_CHARS);
    const fullText = Array.from({ length: 500 }, () => sentence).join("\n");
    expect(fullText.startsWith(excerpt)).toBe(true);
    expect(fullText[excerpt.length]).toMatch(/\s/);
  });

  it.each([
    ["answers 500", { status: 500, rawBody: `{"error":"boom for ${API_KEY}"}` }, "HTTP 500"],
    ["answers garbage", { content: "I am sorry, I cannot do JSON today." }, "not the JSON object"],
    ["answers a field that is not an object", { content: '{"content_type":"a string"}' }, "not the JSON object"],
    ["answers none of the fields", { content: '{"summary":"nice site"}' }, "none of the analysis fields"],
  ] as const)("falls back to the deterministic analysis when the model %s", async (_name, reply: ChatServerReply, reason) => {
    const url = await fixtureSite();
    const { chat } = await model(reply);
    const plain = await analyzeWebsite(url, { allowPrivate: true });
    const reasons: string[] = [];

    const analysis = await analyzeWebsite(url, { allowPrivate: true, chat, onLlmFailure: (why) => reasons.push(why) });

    expect(analysis.status).toBe("completed");
    expect(analysis.llm_enriched).toBe(false);
    expect(analysis.llm_provider).toBeNull();
    expect(analysis.warning_message).toBe(LLM_FALLBACK_WARNING);
    expect(nineFields(analysis)).toEqual(nineFields(plain));
    expect(analysis.metrics).toEqual(plain.metrics);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain(reason);
    expect(JSON.stringify(analysis)).not.toContain(API_KEY);
    expect(reasons[0]).not.toContain(API_KEY);
  });

  it("falls back when the model does not answer within the configured time", async () => {
    const url = await fixtureSite();
    const { chat } = await model({ hang: true });

    const analysis = await analyzeWebsite(url, { allowPrivate: true, chat, llmTimeoutMs: 200 });

    expect(analysis.status).toBe("completed");
    expect(analysis.llm_enriched).toBe(false);
    expect(analysis.warning_message).toBe(LLM_FALLBACK_WARNING);
  });

  it.each([401, 403])("says a key the provider refuses (%i) is refused, naming the provider, and falls back", async (status) => {
    const url = await fixtureSite();
    const { chat } = await model({ status, rawBody: `{"error":{"message":"Incorrect API key provided: ${API_KEY}"}}` }, { source: "openai", providerLabel: "OpenAI" });

    const analysis = await analyzeWebsite(url, { allowPrivate: true, chat });

    expect(analysis.llm_enriched).toBe(false);
    expect(analysis.llm_provider).toBeNull();
    expect(analysis.warning_message).toBe("Your OpenAI key was refused: check it in step 1. This analysis uses the measured metrics only.");
    expect(JSON.stringify(analysis)).not.toContain(API_KEY);
  });
});
