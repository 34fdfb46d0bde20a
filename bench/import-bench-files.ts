import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { STEP_CATALOGUE, STEP_NUMBERS } from "../src/onboarding/step-catalogue.js";
import { progressFileName } from "../src/storage/progress-file-name.js";

/** Writes `count` progress files as the old platform left them: one per user, 2-space indented JSON. */
export function generateProgressFiles(dir: string, count: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const userId = `user_bench${String(i).padStart(7, "0")}`;
    writeFileSync(join(dir, progressFileName(userId)), JSON.stringify(legacyFile(i), null, 2));
  }
}

/** Like the old platform's files: no user_id, naive timestamps, a plaintext key, steps 1-4 done or underway. */
function legacyFile(i: number): object {
  const day = `2025-01-${String((i % 28) + 1).padStart(2, "0")}`;
  const data: Record<number, object | null> = {
    1: { api_keys: { gemini: `AIzaSyBench${String(i).padStart(20, "0")}` } },
    2: { website: `https://site${i}.example.com`, analysis: { writing_style: { tone: i % 2 === 0 ? "friendly" : "formal" } } },
    3: { research_depth: "Standard", content_types: ["blog", "newsletter"], auto_research: true, factual_content: i % 3 === 0 },
    4: {
      corePersona: { persona_name: `Persona ${i}` },
      platformPersonas: { blog: { length: "long" } },
      qualityMetrics: { completeness: 80 },
      selectedPlatforms: ["blog"],
    },
  };
  return {
    steps: STEP_NUMBERS.map((n) => ({
      step_number: n,
      ...STEP_CATALOGUE[n],
      status: n <= 3 ? "completed" : n === 4 ? "in_progress" : "pending",
      completed_at: n <= 3 ? `${day}T12:0${n}:00.123456` : null,
      data: data[n] ?? null,
      validation_errors: [],
    })),
    current_step: 4,
    started_at: `${day}T11:59:00.000000`,
    last_updated: `${day}T12:04:00.000000`,
    is_completed: false,
    completed_at: null,
  };
}
