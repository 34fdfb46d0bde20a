import { randomBytes } from "node:crypto";
import { apiKeyContext, SecretCipher } from "../crypto/secret-cipher.js";
import type { JsonObject } from "../onboarding/onboarding-record.js";
import type { DataStepNumber } from "../onboarding/step-catalogue.js";

export function testCipher(): SecretCipher {
  return SecretCipher.fromBase64(randomBytes(32).toString("base64"));
}

/** Step 1 as storage holds it: sealed for `userId`. */
export function sealedKeys(cipher: SecretCipher, userId: string, keys: Record<string, string>): JsonObject {
  const sealed: JsonObject = {};
  for (const [provider, key] of Object.entries(keys)) {
    const s = cipher.seal(key, apiKeyContext(userId, provider));
    sealed[provider] = { ciphertext: s.ciphertext, key_version: s.keyVersion, last4: s.last4 };
  }
  return { api_keys: sealed };
}

/** Valid data for steps 2-5, distinct per `tag` so that two users' rows cannot be mistaken. */
export function sampleStepData(stepNumber: Exclude<DataStepNumber, 1>, tag: string): JsonObject {
  switch (stepNumber) {
    case 2:
      return {
        website: `https://${tag}.example.com`,
        analysis: {
          writing_style: { tone: `friendly-${tag}`, voice: "active" },
          content_characteristics: { sentence_length: 14.5 },
          target_audience: { primary: "developers" },
          content_type: { primary: "tutorials" },
          recommended_settings: { writing_tone: "friendly" },
          brand_analysis: { values: ["clarity"] },
          content_strategy_insights: { gaps: [] },
          style_patterns: { headings: 4 },
          style_guidelines: { do: ["short sentences"] },
          metrics: { word_count: 1200 },
          status: "completed",
        },
      };
    case 3:
      return { research_depth: "Comprehensive", content_types: ["blog", `case-${tag}`], auto_research: true, factual_content: false };
    case 4:
      return {
        corePersona: { persona_name: `Persona ${tag}`, tone: "warm" },
        platformPersonas: { linkedin: { length: "medium" }, blog: { length: "long" } },
        qualityMetrics: { completeness: 90, style_consistency: 72.5, platform_coverage: 100, overall: 87.5 },
        selectedPlatforms: ["linkedin", "blog"],
      };
    case 5:
      return {
        primary_website: `https://${tag}.example.com`,
        website_platforms: ["wordpress"],
        analytics_platforms: ["google_analytics"],
        social_platforms: ["linkedin", `x-${tag}`],
      };
  }
}
