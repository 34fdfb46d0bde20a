import { z } from "zod";
import { jsonObject } from "../../../http/view-schemas.js";
import { LlmUnavailable, type ChatClient } from "../../../llm/chat-client.js";
import { modelFailureWarning } from "../../../llm/model-warnings.js";
import type { JsonObject, JsonValue } from "../../../onboarding/onboarding-record.js";
import { deepMerge } from "./deep-merge.js";
import { asObject } from "./json-reading.js";
import { PERSONA_SYSTEM_PROMPT, personaUserPrompt } from "./persona-prompt.js";
import type { PersonaData } from "./persona-types.js";

export type Enrichment =
  | { readonly ok: true; readonly corePersona: JsonObject; readonly platformPersonas: Record<string, JsonObject> }
  /** `warning` is the sentence the user reads; `reason` is for the operator's log. */
  | { readonly ok: false; readonly warning: string; readonly reason: string };

export interface EnrichmentRequest {
  readonly website: JsonObject | null;
  readonly research: JsonObject | null;
  readonly draft: PersonaData;
  readonly timeoutMs: number;
}

const FALLBACK = "the persona was generated from your website analysis and research preferences alone";

/** The model's answer (its structured-output schema): open objects, laid over the deterministic draft. */
export const modelPersonaSchema = z
  .object({
    corePersona: jsonObject.optional(),
    platformPersonas: z.record(z.string(), jsonObject).optional(),
  })
  .loose();

/** Keys that state facts about our own profiles; the model may reword a persona, not relabel it. */
const PLATFORM_FACTS = ["platform", "tailored"] as const;

class MalformedAnswer extends Error {}

/**
 * Asks the model for a richer persona and lays its answer over the deterministic draft. Any
 * failure (no answer, an error status, an answer of the wrong shape) yields a warning instead,
 * because step 4 must still produce a persona when the model is down.
 */
export async function enrichPersona(chat: ChatClient, request: EnrichmentRequest): Promise<Enrichment> {
  let answer: JsonObject;
  try {
    answer = await chat.completeJson({
      system: PERSONA_SYSTEM_PROMPT,
      user: personaUserPrompt(request),
      schema: modelPersonaSchema as unknown as z.ZodType<JsonObject>,
      timeoutMs: request.timeoutMs,
    });
  } catch (error) {
    const reason = error instanceof LlmUnavailable ? error.message : "the language model client failed unexpectedly";
    return { ok: false, warning: modelFailureWarning(error, chat, FALLBACK), reason };
  }
  try {
    return { ok: true, ...mergeAnswer(request.draft, answer) };
  } catch (error) {
    if (!(error instanceof MalformedAnswer)) throw error;
    return { ok: false, warning: modelFailureWarning(error, chat, FALLBACK), reason: `the language model's answer ${error.message}` };
  }
}

function mergeAnswer(draft: PersonaData, answer: JsonObject) {
  const core = optionalObject(answer.corePersona ?? answer.core_persona, "corePersona");
  const platforms = optionalObject(answer.platformPersonas ?? answer.platform_personas, "platformPersonas");
  if (core === undefined && platforms === undefined) throw new MalformedAnswer("held neither corePersona nor platformPersonas");
  const platformPersonas: Record<string, JsonObject> = {};
  for (const platform of draft.selectedPlatforms) {
    const base = draft.platformPersonas[platform] ?? {};
    const overlay = optionalObject(platforms?.[platform], `platformPersonas.${platform}`) ?? {};
    platformPersonas[platform] = keepFacts(base, deepMerge(base, overlay));
  }
  return { corePersona: deepMerge(draft.corePersona, core ?? {}), platformPersonas };
}

function optionalObject(value: JsonValue | undefined, name: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  const object = asObject(value);
  if (object === undefined) throw new MalformedAnswer(`gave ${name} as ${Array.isArray(value) ? "an array" : typeof value}, not an object`);
  return object;
}

function keepFacts(base: JsonObject, merged: JsonObject): JsonObject {
  const kept = { ...merged };
  for (const key of PLATFORM_FACTS) {
    const fact = base[key];
    if (fact !== undefined) kept[key] = fact;
  }
  return kept;
}
