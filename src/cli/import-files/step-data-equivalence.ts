import { apiKeyContext, type SecretCipher } from "../../crypto/secret-cipher.js";
import type { JsonObject, JsonValue } from "../../onboarding/onboarding-record.js";
import type { StepNumber } from "../../onboarding/step-catalogue.js";
import type { StoredApiKey } from "../../steps/api-keys/api-keys-schema.js";

export type SameStepData = (stepNumber: StepNumber, a: JsonObject | null, b: JsonObject | null) => boolean;

/**
 * Whether two versions of a step's data mean the same. Step 1 is sealed with a fresh nonce on
 * every decode, so its ciphertexts never match: the keys are opened and compared in memory
 * (never shown). Other steps compare as JSON where a missing key equals an empty list or null,
 * because the tables fill those in (step 5's lists, for one).
 */
export function stepDataComparer(cipher: SecretCipher, userId: string): SameStepData {
  return (stepNumber, a, b) => {
    if (a === null || b === null) return a === b;
    return stepNumber === 1 ? sameKeys(cipher, userId, a, b) : equivalentJson(a, b);
  };
}

function sameKeys(cipher: SecretCipher, userId: string, a: JsonObject, b: JsonObject): boolean {
  const left = keysOf(a);
  const right = keysOf(b);
  const providers = Object.keys(left);
  if (providers.length !== Object.keys(right).length) return false;
  return providers.every((provider) => {
    const other = right[provider];
    return other !== undefined && openKey(cipher, userId, provider, left[provider]!) === openKey(cipher, userId, provider, other);
  });
}

function keysOf(data: JsonObject): Record<string, StoredApiKey> {
  return (data.api_keys ?? {}) as unknown as Record<string, StoredApiKey>;
}

/** A key that cannot be opened (unknown key version) equals nothing, not even itself. */
function openKey(cipher: SecretCipher, userId: string, provider: string, key: StoredApiKey): string | symbol {
  try {
    return cipher.open({ ciphertext: key.ciphertext, keyVersion: key.key_version }, apiKeyContext(userId, provider));
  } catch {
    return Symbol(provider);
  }
}

export function equivalentJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (isEmptyish(a) && isEmptyish(b) && (a === undefined || b === undefined)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => equivalentJson(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => equivalentJson(a[key], b[key]));
  }
  return a === b;
}

function isEmptyish(value: JsonValue | undefined): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
