/** The six wizard steps, with the old platform's exact titles and descriptions. */
export const STEP_NUMBERS = [1, 2, 3, 4, 5, 6] as const;
export type StepNumber = (typeof STEP_NUMBERS)[number];
/** Steps that hold data of their own; step 6 only summarises them. */
export type DataStepNumber = Exclude<StepNumber, 6>;

export const FINAL_STEP = 6 satisfies StepNumber;
export const OPTIONAL_STEPS: readonly StepNumber[] = [5];

export const STEP_CATALOGUE: Readonly<Record<StepNumber, { title: string; description: string }>> = Object.freeze({
  1: { title: "AI LLM Providers", description: "Configure AI language model providers" },
  2: { title: "Website Analysis", description: "Set up website analysis and crawling" },
  3: { title: "AI Research", description: "Configure AI research capabilities" },
  4: { title: "Personalization", description: "Set up personalization features" },
  5: { title: "Integrations", description: "Configure ALwrity integrations" },
  6: { title: "Complete Setup", description: "Finalize and complete onboarding" },
});

export function isStepNumber(value: unknown): value is StepNumber {
  return typeof value === "number" && (STEP_NUMBERS as readonly number[]).includes(value);
}
