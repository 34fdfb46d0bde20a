import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { OnboardingRecord } from "../../onboarding/onboarding-record.js";
import { recordOrEmpty, statusView } from "../../onboarding/onboarding-view.js";
import { STEP_CATALOGUE, type StepNumber } from "../../onboarding/step-catalogue.js";
import { completionPercentage, currentStep, isCompleted } from "../../onboarding/step-rules.js";
import type { Wizard } from "../../onboarding/wizard.js";
import { commonErrors, statusViewSchema } from "../view-schemas.js";

const resumeSchema = z.object({
  resume_step: z.number().int().describe("The step to show: the first one not completed or skipped (6 once steps 1-5 are done)"),
  current_step: z.number().int(),
  is_completed: z.boolean(),
  completion_percentage: z.number(),
  reason: z.string().describe("Why that step, as a sentence"),
});

/** The old platform's session routes: POST /start (idempotent) and GET /resume. */
export function sessionRoutes(wizard: Wizard): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const tags = ["onboarding"];

    routes.post(
      "/start",
      {
        schema: {
          tags,
          summary: "Create the user's onboarding session unless there is one (idempotent: a second call changes nothing); answers the status",
          response: { 200: statusViewSchema.extend({ message: z.string() }), ...commonErrors },
        },
      },
      async (request) => {
        const { record, created } = await wizard.start(request.auth.userId);
        return { message: created ? "Onboarding started" : "Onboarding was already started; nothing changed", ...statusView(record) };
      },
    );

    routes.get(
      "/resume",
      { schema: { tags, summary: "The step to resume at, and why", response: { 200: resumeSchema, ...commonErrors } } },
      async (request) => resumeView(await wizard.read(request.auth.userId)),
    );
  };
}

function resumeView(stored: OnboardingRecord | null): z.infer<typeof resumeSchema> {
  const record = recordOrEmpty(stored);
  const step = currentStep(record);
  return {
    resume_step: step,
    current_step: step,
    is_completed: isCompleted(record),
    completion_percentage: completionPercentage(record),
    reason: resumeReason(stored, step),
  };
}

function resumeReason(record: OnboardingRecord | null, step: StepNumber): string {
  const title = STEP_CATALOGUE[step].title;
  if (record === null) return `Nothing is saved yet: start at step 1 (${title})`;
  if (isCompleted(record)) return "Onboarding is completed; step 6 (Complete Setup) shows the summary";
  if (step === 6) return "Steps 1-5 are done: finish at step 6 (Complete Setup)";
  return `Step ${step} (${title}) is the first step not completed${step === 5 ? " or skipped" : ""}`;
}
