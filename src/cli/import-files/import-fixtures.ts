import { readFileSync } from "node:fs";

/** The old platform's example file from shared/legacy/progress-file.md: no user_id, a plaintext gemini key. */
export const LEGACY_EXAMPLE_TEXT = readFileSync(new URL("../../storage/fixtures/legacy-progress-example.json", import.meta.url), "utf8");
export const LEGACY_PLAINTEXT_KEY = "AIzaSyExampleExampleExample1234";

export type LegacyFile = {
  steps: { step_number: number; status: string; completed_at: string | null; data: Record<string, unknown> | null }[];
  [key: string]: unknown;
};

/** A fresh, editable copy of the legacy example. */
export function legacyExample(): LegacyFile {
  return JSON.parse(LEGACY_EXAMPLE_TEXT) as LegacyFile;
}

/** The example with step 3 completed and step 4 saved in the snake_case some old files used. */
export function snakeCasePersonaFile(userId: string): LegacyFile {
  const file = legacyExample();
  file.user_id = userId;
  file.steps[2] = {
    ...file.steps[2]!,
    status: "completed",
    completed_at: "2025-01-10T12:10:00.000000",
    data: { research_depth: "Standard", content_types: ["blog"], auto_research: true, factual_content: true },
  };
  file.steps[3] = {
    ...file.steps[3]!,
    status: "in_progress",
    data: {
      core_persona: { persona_name: "Snake" },
      platform_personas: { blog: { length: "long" } },
      quality_metrics: { completeness: 80 },
      selected_platforms: ["blog"],
    },
  };
  file.current_step = 4;
  file.last_updated = "2025-01-10T12:20:00.000000";
  return file;
}

/** Step 2 under the old `website_url` key with the analysis fields flat beside it; a free-form step 5 draft. */
export function websiteUrlFile(): LegacyFile {
  const file = legacyExample();
  file.steps[1] = { ...file.steps[1]!, data: { website_url: "https://old.example.org", writing_style: { tone: "formal" } } };
  file.steps[4] = { ...file.steps[4]!, data: { cms: "wordpress", social_platforms: ["mastodon"] } };
  return file;
}

/** Four steps and is_completed true: damaged but repairable. */
export function inconsistentFile(): LegacyFile {
  const file = legacyExample();
  file.steps = file.steps.slice(0, 4);
  file.is_completed = true;
  file.completed_at = "2025-01-10T13:00:00.000000";
  return file;
}
