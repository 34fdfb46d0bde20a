import { z } from "zod";
import type { OnboardingRecord } from "../onboarding/onboarding-record.js";
import { progressView, statusView } from "../onboarding/onboarding-view.js";
import type { StepDefinition } from "../onboarding/step-definition.js";
import { progressViewSchema, statusViewSchema, stepViewSchema } from "./view-schemas.js";

export const initViewSchema = z.object({
  user: z.object({ id: z.string() }),
  onboarding: progressViewSchema.extend(statusViewSchema.shape).extend({
    steps: z.array(stepViewSchema.extend({ has_data: z.boolean().describe("The step holds saved data") })),
  }),
  session: z
    .object({
      session_id: z.string().describe("The user's id: one onboarding session per user (the old platform answered the same)"),
      initialized_at: z.string().nullable().describe("When the session was created; null before the user's first save"),
      last_activity: z.string().nullable(),
    })
    .describe("The old platform's session block"),
});

/** GET /init: everything the first screen needs, in the old platform's shape. */
export function initView(userId: string, record: OnboardingRecord | null, definitions: readonly StepDefinition[]): z.infer<typeof initViewSchema> {
  const progress = progressView(record, definitions);
  return {
    user: { id: userId },
    onboarding: { ...progress, ...statusView(record), steps: progress.steps.map((step) => ({ ...step, has_data: step.data !== null })) },
    session: { session_id: userId, initialized_at: progress.started_at, last_activity: progress.last_updated },
  };
}
