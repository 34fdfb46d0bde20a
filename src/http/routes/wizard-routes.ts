import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { progressView, statusView } from "../../onboarding/onboarding-view.js";
import type { Wizard } from "../../onboarding/wizard.js";
import { initView, initViewSchema } from "../init-view.js";
import { commonErrors, progressViewSchema, statusViewSchema } from "../view-schemas.js";

/** The wizard as a whole: status, progress, the first screen, completion and reset. */
export function wizardRoutes(wizard: Wizard): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const tags = ["onboarding"];

    routes.get("/status", { schema: { tags, summary: "Where the user is", response: { 200: statusViewSchema, ...commonErrors } } }, async (request) =>
      statusView(await wizard.read(request.auth.userId)),
    );

    routes.get(
      "/progress",
      { schema: { tags, summary: "Every step with its data (keys masked)", response: { 200: progressViewSchema, ...commonErrors } } },
      async (request) => progressView(await wizard.read(request.auth.userId), wizard.definitions),
    );

    routes.get(
      "/init",
      { schema: { tags, summary: "Everything the first screen needs in one call", response: { 200: initViewSchema, ...commonErrors } } },
      async (request) => initView(request.auth.userId, await wizard.read(request.auth.userId), wizard.definitions),
    );

    routes.post(
      "/complete",
      {
        schema: {
          tags,
          summary: "Complete the onboarding (idempotent); 409 lists the steps still missing",
          response: { 200: z.object({ message: z.string(), completed_at: z.string(), completion_percentage: z.number() }), ...commonErrors },
        },
      },
      async (request) => {
        const record = await wizard.completeOnboarding(request.auth.userId);
        return { message: "Onboarding completed", completed_at: record.completedAt as string, completion_percentage: 100 };
      },
    );

    routes.post(
      "/reset",
      {
        schema: {
          tags,
          summary: "Soft reset (steps back to pending, data kept) or hard reset (everything erased)",
          // Strict: `?HARD=true` or `?hard_reset=true` would otherwise be a soft reset the caller did not ask for.
          querystring: z.object({ hard: z.enum(["true", "false"]).default("false") }).strict(),
          response: { 200: z.object({ message: z.string(), hard: z.boolean(), erased: z.boolean(), status: statusViewSchema }), ...commonErrors },
        },
      },
      async (request) => {
        const hard = request.query.hard === "true";
        const { erased, record } = await wizard.reset(request.auth.userId, hard);
        const message = hard
          ? erased
            ? "Your onboarding data was erased"
            : "There was no onboarding data to erase"
          : "Your steps are back to pending; your data is kept";
        return { message, hard, erased, status: statusView(record) };
      },
    );
  };
}
