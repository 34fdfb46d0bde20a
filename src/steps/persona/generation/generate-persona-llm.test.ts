import { afterEach, describe, expect, it } from "vitest";
import type { ChatClient } from "../../../llm/chat-client.js";
import { startChatCompletionsServer, type ChatCompletionsTestServer, type ChatServerReply } from "../../../test-support/chat-completions-test-server.js";
import { testChatClient } from "../../../test-support/test-chat-client.js";
import type { JsonObject } from "../../../onboarding/onboarding-record.js";
import { personaStepSchema } from "../persona-schema.js";
import { generatePersona } from "./generate-persona.js";
import type { GeneratePersonaInput } from "./persona-types.js";

const INPUT: GeneratePersonaInput = {
  website: {
    website: "https://bakery.example.com",
    analysis: {
      writing_style: { tone: "warm and friendly", complexity: "simple" },
      target_audience: { primary: "home bakers" },
      brand_analysis: { brand_values: ["craft"] },
    },
  },
  research: { research_depth: "Standard", content_types: ["Recipes", "Newsletters"], auto_research: false, factual_content: true },
  selectedPlatforms: ["instagram", "substack"],
};

const FALLBACK_WARNING = "The language model was not available; the persona was generated from your website analysis and research preferences alone.";

const servers: ChatCompletionsTestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function modelReplying(reply: ChatServerReply): Promise<{ server: ChatCompletionsTestServer; chat: ChatClient }> {
  const server = await startChatCompletionsServer(() => reply);
  servers.push(server);
  return { server, chat: testChatClient({ baseUrl: server.baseUrl, apiKey: "sk-test-persona-0123456789", model: "persona-model" }) };
}

async function deterministic() {
  return generatePersona(INPUT);
}

function userPromptOf(server: ChatCompletionsTestServer): JsonObject {
  const body = server.requests[0]?.body as { messages: { role: string; content: string }[] };
  const user = body.messages.find((message) => message.role === "user");
  return JSON.parse(user?.content ?? "null") as JsonObject;
}

describe("generatePersona with a language model", () => {
  it("merges the model's persona over the deterministic one and keeps metrics and platforms its own", async () => {
    const answer = {
      corePersona: {
        persona_name: "Flour & Heart",
        tone: { default_tone: "cosy and encouraging" },
        signature_phrases: ["Let's bake"],
        archetype: null,
      },
      platformPersonas: {
        instagram: { cadence: "daily stories", tailored: false },
        tiktok: { cadence: "hourly" },
      },
      qualityMetrics: { overall: 99, completeness: 100 },
      selectedPlatforms: ["tiktok"],
    };
    const { server, chat } = await modelReplying({ content: JSON.stringify(answer) });
    const plain = await deterministic();

    const result = await generatePersona(INPUT, { chat });

    expect(result.llmEnriched).toBe(true);
    expect(result.llmProvider).toBe("server");
    expect(result.warnings).toEqual(plain.warnings);
    const { corePersona, platformPersonas, qualityMetrics, selectedPlatforms } = result.persona;
    expect(corePersona.persona_name).toBe("Flour & Heart");
    expect(corePersona.signature_phrases).toEqual(["Let's bake"]);
    expect(corePersona.tone).toEqual({ ...(plain.persona.corePersona.tone as JsonObject), default_tone: "cosy and encouraging" });
    expect(corePersona.archetype).toBe(plain.persona.corePersona.archetype);
    expect(corePersona.research_approach).toEqual(plain.persona.corePersona.research_approach);
    expect(platformPersonas.instagram).toEqual({ ...plain.persona.platformPersonas.instagram, cadence: "daily stories" });
    expect(platformPersonas.substack).toEqual(plain.persona.platformPersonas.substack);
    expect(Object.keys(platformPersonas)).toEqual(["instagram", "substack"]);
    expect(qualityMetrics).toEqual(plain.persona.qualityMetrics);
    expect(selectedPlatforms).toEqual(["instagram", "substack"]);
    expect(personaStepSchema.safeParse(result.persona).success).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it("sends the model the inputs, the platforms and the deterministic draft", async () => {
    const { server, chat } = await modelReplying({ content: '{"corePersona": {}}' });

    await generatePersona(INPUT, { chat });

    const request = server.requests[0];
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.body).toMatchObject({ model: "persona-model", messages: [{ role: "system", content: expect.stringContaining("platformPersonas") }, { role: "user" }] });
    const prompt = userPromptOf(server);
    expect(prompt.website_analysis).toEqual(INPUT.website);
    expect(prompt.research_preferences).toEqual(INPUT.research);
    expect(prompt.selected_platforms).toEqual(["instagram", "substack"]);
    const draft = (await deterministic()).persona;
    expect(prompt.draft_persona).toEqual({ corePersona: draft.corePersona, platformPersonas: draft.platformPersonas });
  });

  it("accepts the snake_case spelling a model may use", async () => {
    const { chat } = await modelReplying({ content: '{"core_persona": {"persona_name": "Crumb"}}' });

    const result = await generatePersona(INPUT, { chat });

    expect(result.llmEnriched).toBe(true);
    expect(result.persona.corePersona.persona_name).toBe("Crumb");
  });
});

describe("generatePersona when the language model fails", () => {
  const failures: ReadonlyArray<readonly [string, ChatServerReply, RegExp]> = [
    ["an error status", { status: 500, rawBody: '{"error": {"message": "boom"}}' }, /HTTP 500/],
    ["content that is not JSON", { content: "Sure! Here is your persona: cosy baker" }, /not the JSON object/],
    ["a body that is not a completion", { status: 200, rawBody: "<html>gateway</html>" }, /not in its protocol's format/],
    ["a JSON array", { content: "[1, 2]" }, /not the JSON object/],
    ["neither persona part", { content: '{"persona": {"name": "x"}}' }, /neither corePersona nor platformPersonas/],
    ["a core persona that is not an object", { content: '{"corePersona": "cosy baker"}' }, /not the JSON object/],
    ["a platform persona that is not an object", { content: '{"platformPersonas": {"instagram": ["daily"]}}' }, /not the JSON object/],
  ];

  it.each(failures)("falls back to the deterministic persona on %s, with a plain warning", async (_label, reply, reason) => {
    const { server, chat } = await modelReplying(reply);
    const plain = await deterministic();

    const result = await generatePersona(INPUT, { chat });

    expect(server.requests).toHaveLength(1);
    expect(result.llmEnriched).toBe(false);
    expect(result.llmProvider).toBeNull();
    expect(result.persona).toEqual(plain.persona);
    expect(result.warnings.slice(0, -1)).toEqual(plain.warnings);
    expect(result.warnings.at(-1)).toBe(FALLBACK_WARNING);
    expect(result.llmFailure).toMatch(reason);
  });

  it("says a refused key is refused, naming the provider", async () => {
    const server = await startChatCompletionsServer(() => ({ status: 401, rawBody: '{"error": {"message": "Incorrect API key provided: sk-test-persona-0123456789"}}' }));
    servers.push(server);
    const chat = testChatClient({ baseUrl: server.baseUrl, apiKey: "sk-test-persona-0123456789", protocol: "mistral", providerLabel: "Mistral" });

    const result = await generatePersona(INPUT, { chat });

    expect(result.llmEnriched).toBe(false);
    expect(result.warnings.at(-1)).toBe("Your Mistral key was refused: check it in step 1. The persona was generated from your website analysis and research preferences alone.");
    expect(result.warnings.join(" ")).not.toContain("sk-test-persona");
  });

  it("falls back when the model does not answer in time", async () => {
    const { chat } = await modelReplying({ hang: true });

    const started = Date.now();
    const result = await generatePersona(INPUT, { chat, timeoutMs: 200 });

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.llmEnriched).toBe(false);
    expect(result.persona).toEqual((await deterministic()).persona);
    expect(result.warnings.at(-1)).toBe(FALLBACK_WARNING);
    expect(result.llmFailure).toMatch(/within 200 ms/);
  });

  it("falls back without repeating the text of an unexpected client error", async () => {
    const broken: ChatClient = {
      source: "server",
      providerLabel: "the test model",
      completeJson: () => Promise.reject(new TypeError("secret internals at /srv/app.js:12")),
    };

    const result = await generatePersona(INPUT, { chat: broken });

    expect(result.llmEnriched).toBe(false);
    expect(result.persona).toEqual((await deterministic()).persona);
    expect(result.warnings.at(-1)).toBe(FALLBACK_WARNING);
    expect(result.llmFailure).toMatch(/failed unexpectedly/);
    expect(result.warnings.join(" ")).not.toContain("secret internals");
  });
});
