import type { ModelProvider } from "../onboarding/providers.js";
import { cappedFetch } from "../llm/capped-fetch.js";
import { checkModelKey, type KeyCheck } from "../llm/key-check.js";
import type { OnboardingRecord } from "../onboarding/onboarding-record.js";
import { environmentKey } from "../steps/api-keys/environment-keys.js";
import { openSavedKey, type ChatClientSources } from "./user-chat-client.js";

export type KeySource = "database" | "environment";
export type CheckUserKey = (userId: string, provider: ModelProvider, record: OnboardingRecord | null) => Promise<(KeyCheck & { source: KeySource }) | undefined>;

/**
 * POST /api-keys/{provider}/check: the user's saved key of that provider; without one, with
 * LOCAL_ENV_KEYS, the environment's key that counts for step 1 in its place (decision 0020), so
 * a developer can check the key their calls would use. Undefined when there is no key to check.
 */
export function userKeyChecker(sources: ChatClientSources): CheckUserKey {
  const fetch = cappedFetch({ dispatcher: () => sources.agent.dispatcher() });
  return async (userId, provider, record) => {
    const { baseUrl } = sources.config.modelProviders[provider];
    const saved = openSavedKey(sources.cipher, userId, provider, record?.steps[0]?.data ?? null);
    if (saved !== undefined) return { ...(await checkModelKey({ provider, apiKey: saved, baseUrl, fetch })), source: "database" };
    if (!sources.config.localEnvKeys || sources.environment === undefined) return undefined;
    const fromEnvironment = environmentKey(sources.environment.env, sources.environment.workingDir, provider);
    if (fromEnvironment === undefined) return undefined;
    return { ...(await checkModelKey({ provider, apiKey: fromEnvironment, baseUrl, fetch })), source: "environment" };
  };
}
