import type { JsonObject } from "../../onboarding/onboarding-record.js";
import { LLM_PROVIDERS, PROVIDERS, type Provider } from "../../onboarding/providers.js";
import { storedKeys } from "./api-keys-definition.js";
import { maskStoredKey } from "./api-keys-persistence.js";
import type { StoredApiKey } from "./api-keys-schema.js";

export interface KeyStatus {
  readonly configured: boolean;
  /** A saved key wins over the server's environment (LOCAL_ENV_KEYS). */
  readonly source: "database" | "environment" | null;
  /** Only saved keys have a mask: an environment key is never shown, not even masked. */
  readonly masked: string | null;
}

/** Where each provider's key comes from, in PROVIDERS order; the one reading of step 1 every key route shares. */
export function keyStatuses(stepOneData: JsonObject | null, environmentProviders: ReadonlySet<string>): ReadonlyMap<Provider, KeyStatus> {
  const saved = storedKeys(stepOneData);
  return new Map(PROVIDERS.map((provider): [Provider, KeyStatus] => [provider, statusOf(saved[provider], environmentProviders.has(provider))]));
}

function statusOf(saved: StoredApiKey | undefined, inEnvironment: boolean): KeyStatus {
  if (saved !== undefined) return { configured: true, source: "database", masked: maskStoredKey(saved) };
  if (inEnvironment) return { configured: true, source: "environment", masked: null };
  return { configured: false, source: null, masked: null };
}

/** The providers with a key from either source, sorted by name. */
export function configuredProviders(statuses: ReadonlyMap<Provider, KeyStatus>): string[] {
  return [...statuses].filter(([, status]) => status.configured).map(([provider]) => provider).sort();
}

/** Step 1 can be completed once one language model has a key. */
export function hasLlmKey(statuses: ReadonlyMap<Provider, KeyStatus>): boolean {
  return LLM_PROVIDERS.some((provider) => statuses.get(provider)?.configured === true);
}
