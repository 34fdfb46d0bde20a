import type { JsonObject } from "../onboarding/onboarding-record.js";
import { LlmUnavailable } from "./chat-client.js";

/** Models asked for JSON still often wrap it in a Markdown code fence, with or without a language tag. */
const FENCED = /^```[A-Za-z0-9_-]*\s*\n?([\s\S]*?)\n?\s*```$/;

/** Reads a model's message content as one JSON object; anything else is an unusable answer. */
export function parseJsonObjectContent(content: string): JsonObject {
  const trimmed = content.trim();
  const unfenced = FENCED.exec(trimmed)?.[1] ?? trimmed;
  let value: unknown;
  try {
    value = JSON.parse(unfenced);
  } catch {
    throw new LlmUnavailable(`the model's content is not JSON (starts with ${JSON.stringify(trimmed.slice(0, 40))})`, "bad_answer");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new LlmUnavailable(`the model's content is JSON but not an object (${Array.isArray(value) ? "array" : typeof value})`, "bad_answer");
  }
  return value as JsonObject;
}
