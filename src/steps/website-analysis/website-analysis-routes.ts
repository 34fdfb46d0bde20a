import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { ExpensiveWorkGuard } from "../../http/expensive-work-guard.js";
import { commonErrors, jsonObject } from "../../http/view-schemas.js";
import type { ChatClient } from "../../llm/chat-client.js";
import type { JsonObject, OnboardingRecord } from "../../onboarding/onboarding-record.js";
import { recordOrEmpty } from "../../onboarding/onboarding-view.js";
import { refuseIfLocked } from "../../onboarding/step-transitions.js";
import type { Wizard } from "../../onboarding/wizard.js";
import type { HostResolver } from "../../net/host-resolver.js";
import { websiteUrlSchema } from "./website-analysis-schema.js";

export interface WebsiteRouteDependencies {
  readonly wizard: Wizard;
  readonly guard: ExpensiveWorkGuard;
  readonly chatClientFor: (userId: string, record: OnboardingRecord | null) => ChatClient | undefined;
  /** WEBSITE_FETCH_ALLOW_PRIVATE: tests only. */
  readonly allowPrivate: boolean;
  /** The app's DNS for outbound calls (off the threadpool); the fetch still vets every address it gives. */
  readonly resolve: HostResolver;
}

/** Step 2's own routes: analyse a site (saved as the step 2 draft) and read the saved analysis. */
export function websiteAnalysisRoutes({ wizard, guard, chatClientFor, allowPrivate, resolve }: WebsiteRouteDependencies): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const tags = ["step 2: website"];

    routes.post(
      "/website/analyze",
      {
        schema: {
          tags,
          summary: "Fetch and analyse a website; the result is saved as the step 2 draft (status failed with error_message when the page cannot be read)",
          body: z.object({ website: websiteUrlSchema }).strict(),
          response: { 200: jsonObject, 429: commonErrors[409], ...commonErrors },
        },
      },
      async (request) => {
        const userId = request.auth.userId;
        const { website } = request.body;
        return guard.run(userId, "website", async () => {
          const record = await wizard.read(userId);
          refuseIfLocked(recordOrEmpty(record), 2);
          const chat = chatClientFor(userId, record);
          const onLlmFailure = (reason: string) => request.log.warn({ user_id: userId, step: 2, reason }, "website analysis fell back to measured metrics");
          const onPageFailure = (reason: string) => request.log.info({ user_id: userId, step: 2, reason }, "website analysis could not read the page");
          // The engine (its HTML parser, its HTTP client) loads at the first analysis, not at start.
          const { analyzeWebsite } = await import("./analysis/analyze-website.js");
          const analysis = (await analyzeWebsite(website, { allowPrivate, resolve, onLlmFailure, onPageFailure, ...(chat ? { chat } : {}) })) as unknown as JsonObject;
          const { website_url: _url, ...stored } = analysis;
          const data = { website, analysis: stored };
          await wizard.changeStepData(userId, 2, () => data, data, request.log);
          return analysis;
        });
      },
    );

    routes.get(
      "/website-analysis",
      { schema: { tags, summary: "The saved analysis, or {}", response: { 200: jsonObject, ...commonErrors } } },
      async (request) => {
        const data = (await wizard.read(request.auth.userId))?.steps[1]?.data;
        if (data == null) return {};
        return { website_url: data.website ?? null, ...((data.analysis as JsonObject | undefined) ?? {}) };
      },
    );
  };
}
