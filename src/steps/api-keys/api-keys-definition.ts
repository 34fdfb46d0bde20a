import { apiKeyContext, type SecretCipher } from "../../crypto/secret-cipher.js";
import { LastModelKey, ValidationFailed } from "../../errors/app-errors.js";
import type { JsonObject } from "../../onboarding/onboarding-record.js";
import type { StepDefinition, StepUseContext } from "../../onboarding/step-definition.js";
import { LLM_PROVIDERS } from "../../onboarding/providers.js";
import { maskStoredKey } from "./api-keys-persistence.js";
import { apiKeysStepSchema, looksLikeMask, preferredProviderOf, withKeys, type ApiKeysStepInput, type StoredApiKey, type StoredApiKeys } from "./api-keys-schema.js";

/**
 * Step 1. Keys are write-only: a save seals each key sent and keeps the keys not sent (a client
 * only ever has masks, so it cannot send them back). A client that echoes a key's current mask
 * leaves that key as it is.
 */
export function apiKeysDefinition(cipher: SecretCipher): StepDefinition {
  return {
    stepNumber: 1,
    schema: apiKeysStepSchema as never,
    toStored(input, current, context) {
      const { api_keys: sent, preferred_provider: preference } = input as ApiKeysStepInput;
      const keys: Record<string, StoredApiKey> = { ...storedKeys(current) };
      for (const [provider, key] of Object.entries(sent)) {
        keys[provider] = sealOrKeep(cipher, provider, key as string, keys[provider], context);
      }
      // Absent keeps the stored preference, null clears it; a preference needs its key saved.
      const preferred = preference === undefined ? preferredProviderOf(current) : (preference ?? undefined);
      if (preferred !== undefined && keys[preferred] === undefined) {
        throw new ValidationFailed(`No key for ${preferred} is saved, so it cannot be the preferred provider`, [
          { path: "data.preferred_provider", message: `save a key for ${preferred} first` },
        ]);
      }
      return withKeys(keys, preferred);
    },
    completionErrors(stored, context) {
      const configured = new Set([...Object.keys(storedKeys(stored)), ...context.environmentProviders]);
      return LLM_PROVIDERS.some((p) => configured.has(p))
        ? []
        : [`save a key for at least one language model provider: ${LLM_PROVIDERS.join(", ")}`];
    },
    // Step 1's only completion rule is a model key, so an edit that would undo it removed the last one.
    refuseUndoing: (reasons) =>
      new LastModelKey(
        "Step 1 is done and needs a key for a language model provider, so the last one cannot be removed: save another language model key first, or replace this one",
        reasons.map((message) => ({ path: "data.api_keys", message })),
      ),
    describeSave: (input) => Object.keys((input as { api_keys?: object }).api_keys ?? {}).map((p) => `API key for ${p}`),
    present(stored) {
      if (stored === null) return null;
      const masked = Object.fromEntries(Object.entries(storedKeys(stored)).map(([p, key]) => [p, maskStoredKey(key)]));
      const preferred = preferredProviderOf(stored);
      const shown: JsonObject = { api_keys: masked };
      if (preferred !== undefined) shown.preferred_provider = preferred;
      return shown;
    },
  };
}

export function storedKeys(stored: JsonObject | null): Record<string, StoredApiKey> {
  return { ...((stored as StoredApiKeys | null)?.api_keys ?? {}) };
}

export function sealKey(cipher: SecretCipher, provider: string, key: string, userId: string): StoredApiKey {
  const sealed = cipher.seal(key, apiKeyContext(userId, provider));
  return { ciphertext: sealed.ciphertext, key_version: sealed.keyVersion, last4: sealed.last4 };
}

function sealOrKeep(
  cipher: SecretCipher,
  provider: string,
  key: string,
  existing: StoredApiKey | undefined,
  context: StepUseContext,
): StoredApiKey {
  if (existing !== undefined && key === maskStoredKey(existing)) return existing;
  if (looksLikeMask(key)) {
    throw new ValidationFailed(`The key for ${provider} looks like a mask; send the key itself`, [
      { path: `data.api_keys.${provider}`, message: "send the key itself, not its mask" },
    ]);
  }
  return sealKey(cipher, provider, key, context.userId);
}
