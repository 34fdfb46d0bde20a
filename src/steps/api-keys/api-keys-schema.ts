import { z } from "zod";
import { PROVIDERS } from "../../onboarding/providers.js";

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

/** Step 1's `data`: keys are write-only, so this shape is only ever received, never sent. */
export const apiKeysStepSchema = z
  .object({
    api_keys: z.partialRecord(providerSchema, apiKeySchema),
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
}
