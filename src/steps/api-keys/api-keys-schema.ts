import { z } from "zod";
import { KEY_CHECK_STATUSES } from "../../llm/key-check-status.js";
import type { JsonObject } from "../../onboarding/onboarding-record.js";
import { MODEL_PROVIDERS, PROVIDERS, type ModelProvider } from "../../onboarding/providers.js";

export const API_KEY_LENGTH = Object.freeze({ min: 8, max: 512 });
/** POST /api-keys takes the old platform's `description` and keeps it nowhere. */
export const KEY_DESCRIPTION_MAX_LENGTH = 500;

/** 8-512 printable ASCII characters without whitespace: what every provider's keys look like. */
export const apiKeySchema = z
  .string()
  .min(API_KEY_LENGTH.min, `an API key has at least ${API_KEY_LENGTH.min} characters`)
  .max(API_KEY_LENGTH.max, `an API key has at most ${API_KEY_LENGTH.max} characters`)
  .regex(/^[\x21-\x7E]+$/, "an API key is printable characters without whitespace");

/** What every answer shows instead of a key; a client that sends one back never had the key. */
export function looksLikeMask(key: string): boolean {
  return /^\*{4,}/.test(key);
}

export const providerSchema = z.enum(PROVIDERS, { message: `provider must be one of ${PROVIDERS.join(", ")}` });

export const modelProviderSchema = z.enum(MODEL_PROVIDERS, { message: `preferred_provider must be one of ${MODEL_PROVIDERS.join(", ")}` });

/** Step 1's `data`: keys are write-only, so this shape is only ever received, never sent. */
export const apiKeysStepSchema = z
  .object({
    api_keys: z.partialRecord(providerSchema, apiKeySchema),
    preferred_provider: modelProviderSchema
      .nullable()
      .optional()
      .describe("Which saved language-model key drives the analysis and the persona when several are saved; null clears it, absent keeps it"),
  })
  .strict();
export type ApiKeysStepInput = z.infer<typeof apiKeysStepSchema>;

/** What storage holds for step 1: sealed keys only. */
export interface StoredApiKey {
  readonly ciphertext: string;
  readonly key_version: number;
  readonly last4: string;
}
export interface StoredApiKeys {
  readonly api_keys: Readonly<Record<string, StoredApiKey>>;
  /** Only ever a provider with a saved key (its api_keys row carries the flag). */
  readonly preferred_provider?: ModelProvider;
}

/** The stored preference, when it is one of the four and its key is still saved. */
export function preferredProviderOf(stored: JsonObject | null): ModelProvider | undefined {
  const data = stored as StoredApiKeys | null;
  const preferred = data?.preferred_provider;
  return preferred !== undefined && (MODEL_PROVIDERS as readonly string[]).includes(preferred) && data?.api_keys[preferred] !== undefined ? preferred : undefined;
}

/** Step 1's stored data from its keys and a preference, kept only when it names one of the four with its key saved. */
export function withKeys(keys: Record<string, StoredApiKey>, preferred: string | undefined): JsonObject {
  const data: StoredApiKeys = { api_keys: keys, ...(preferred === undefined ? {} : { preferred_provider: preferred as ModelProvider }) };
  const kept = preferredProviderOf(data as unknown as JsonObject);
  return (kept === undefined ? { api_keys: keys } : { api_keys: keys, preferred_provider: kept }) as unknown as JsonObject;
}

/** The answer of POST /api-keys/{provider}/check: the route documents it, the page reads it. */
export const keyCheckSchema = z.object({
  provider: z.enum(MODEL_PROVIDERS),
  status: z.enum(KEY_CHECK_STATUSES).describe("valid: the provider accepted the key; refused: it did not (replace the key); unreachable: no answer, try later"),
  source: z.enum(["database", "environment"]).describe("The saved key, or (LOCAL_ENV_KEYS, none saved) the server's environment key"),
  checked_at: z.string().describe("ISO 8601"),
});
export type KeyCheckAnswer = z.infer<typeof keyCheckSchema>;
