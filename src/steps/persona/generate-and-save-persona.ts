import type { ChatClient, LlmSource } from "../../llm/chat-client.js";
import type { JsonObject, OnboardingRecord } from "../../onboarding/onboarding-record.js";
import { recordOrEmpty } from "../../onboarding/onboarding-view.js";
import { refuseIfLocked } from "../../onboarding/step-transitions.js";
import type { Logger } from "pino";
import type { Wizard } from "../../onboarding/wizard.js";
import { generatePersona } from "./generation/generate-persona.js";
import type { PersonaData } from "./generation/persona-types.js";

/** What a generation answers: the persona saved as step 4's draft, and how it was made. */
export type GeneratedPersona = PersonaData & { llm_enriched: boolean; llm_provider: LlmSource | null; warnings: string[] };

export interface PersonaGenerationDependencies {
  readonly wizard: Wizard;
  readonly chatClientFor: (userId: string, record: OnboardingRecord | null) => ChatClient | undefined;
}

/** Told at each stage, so that a task can show where its generation is (0-100). */
export type ProgressReporter = (progress: number, message: string) => Promise<void>;

const SILENT: ProgressReporter = async () => undefined;

/**
 * Step 4's generation, shared by the synchronous route and the task: a persona from what steps
 * 2-3 saved (the model when one is configured, the deterministic engine otherwise or when the
 * model fails), saved as the step 4 draft.
 */
export async function generateAndSavePersona(
  { wizard, chatClientFor }: PersonaGenerationDependencies,
  request: { readonly userId: string; readonly selectedPlatforms: readonly string[] | undefined; readonly log: Pick<Logger, "info" | "warn"> },
  reportProgress: ProgressReporter = SILENT,
): Promise<GeneratedPersona> {
  const { userId, selectedPlatforms } = request;
  await reportProgress(10, "Reading your website analysis and research preferences");
  const record = await wizard.read(userId);
  refuseIfLocked(recordOrEmpty(record), 4);
  const chat = chatClientFor(userId, record);
  await reportProgress(
    30,
    chat === undefined ? "Building your persona from your website analysis and research preferences" : "Asking the language model to write your persona (up to 30 s)",
  );
  const generated = await generatePersona(
    { website: record?.steps[1]?.data ?? null, research: record?.steps[2]?.data ?? null, ...(selectedPlatforms ? { selectedPlatforms } : {}) },
    { chat },
  );
  if (generated.llmFailure !== undefined) {
    request.log.warn({ user_id: userId, step: 4, reason: generated.llmFailure }, "persona generation fell back to the deterministic persona");
  }
  await reportProgress(90, "Saving the persona as your step 4 draft");
  const persona = generated.persona as unknown as JsonObject;
  await wizard.changeStepData(userId, 4, () => persona, persona, request.log);
  return { ...generated.persona, llm_enriched: generated.llmEnriched, llm_provider: generated.llmProvider, warnings: generated.warnings };
}
