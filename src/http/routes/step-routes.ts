import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { JsonObject } from "../../onboarding/onboarding-record.js";
import { stepOf } from "../../onboarding/onboarding-record.js";
import { recordOrEmpty, stepView } from "../../onboarding/onboarding-view.js";
import { FINAL_STEP, STEP_CATALOGUE, type StepNumber } from "../../onboarding/step-catalogue.js";
import type { StepDefinition } from "../../onboarding/step-definition.js";
import { isLocked } from "../../onboarding/step-rules.js";
import { requireStepData, type Wizard } from "../../onboarding/wizard.js";
import { parseOrThrow } from "../parse-or-throw.js";
import { refuseJsonNull } from "../refuse-json-null.js";
import { clientValidationErrors, commonErrors, jsonObject, stepParams, stepViewSchema, storableJsonObject } from "../view-schemas.js";

/**
 * `data` is checked against step n's own schema in the handler (its errors then name
 * `data.<field>`); the document lists the five payloads so that a reader of /docs sees them.
 */
function stepDataSchema(definitions: readonly StepDefinition[]) {
  const payloads = definitions.map((definition) => ({
    title: `Step ${definition.stepNumber}: ${STEP_CATALOGUE[definition.stepNumber].title}`,
    ...asComponentSchema(definition.schema),
  }));
  return storableJsonObject.meta({ description: "Step n's payload (SPEC §4 'Step payloads'): one of these, by n", anyOf: payloads });
}

/** A schema as the document holds it: schemas with an id (JsonValue) are components, not local definitions. */
function asComponentSchema(schema: z.ZodType): Record<string, unknown> {
  const { definitions: _local, ...json } = z.toJSONSchema(schema, { target: "openapi-3.0", io: "input", unrepresentable: "any" });
  return JSON.parse(JSON.stringify(json).replaceAll('"#/definitions/', '"#/components/schemas/')) as Record<string, unknown>;
}

/** GET/PUT /step/{n}, POST /step/{n}/complete and /skip, GET /step/{n}/validate. */
export function stepRoutes(wizard: Wizard): FastifyPluginAsync {
  const stepData = stepDataSchema(wizard.definitions);
  const draftBody = z.object({ data: stepData, validation_errors: clientValidationErrors }).strict();
  // No body at all is validated as null; refuseJsonNull tells it from a body of JSON `null`.
  const completeBody = z.object({ data: stepData.optional(), validation_errors: clientValidationErrors }).strict().nullish();
  return async (app) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const tags = ["steps"];

    routes.get(
      "/step/:n",
      { schema: { tags, summary: "One step with its saved data (keys masked)", params: stepParams, response: { 200: stepViewSchema, ...commonErrors } } },
      async (request) => {
        const record = recordOrEmpty(await wizard.read(request.auth.userId));
        return stepView(stepOf(record, request.params.n), wizard.definitions);
      },
    );

    routes.put(
      "/step/:n",
      { schema: { tags, summary: "Save a draft of a step", params: stepParams, body: draftBody, response: { 200: stepViewSchema, ...commonErrors } } },
      async (request) => {
        const stepNumber = requireStepData(request.params.n);
        const input = parseOrThrow(wizard.definition(stepNumber).schema, request.body.data, "data", `Step ${stepNumber} data`);
        const record = await wizard.saveDraft(request.auth.userId, stepNumber, input, request.log);
        return stepView(stepOf(record, stepNumber), wizard.definitions);
      },
    );

    routes.post(
      "/step/:n/complete",
      {
        preValidation: refuseJsonNull,
        schema: {
          tags,
          summary: "Complete a step (saving `data` first when sent); step 6 completes the onboarding",
          params: stepParams,
          body: completeBody,
          response: {
            200: z.object({ message: z.string(), step_number: z.number().int(), data: jsonObject.nullable(), warnings: z.array(z.string()) }),
            ...commonErrors,
          },
        },
      },
      async (request) => {
        const stepNumber = request.params.n;
        const raw = request.body?.data;
        // Step 6 has no data of its own; the old platform's client sends `data: {}` for it all the same.
        const nothingToSave = raw === undefined || (stepNumber === FINAL_STEP && Object.keys(raw).length === 0);
        const input = nothingToSave ? undefined : parseOrThrow(wizard.definition(requireStepData(stepNumber)).schema, raw, "data", `Step ${stepNumber} data`);
        const record = await wizard.complete(request.auth.userId, stepNumber, input as JsonObject | undefined, request.log);
        const view = stepView(stepOf(record, stepNumber), wizard.definitions);
        return {
          message: `Step ${stepNumber} (${STEP_CATALOGUE[stepNumber].title}) completed`,
          step_number: stepNumber,
          data: view.data,
          warnings: environmentOnlyWarning(wizard, record.steps[0]?.data ?? null, stepNumber, request.auth.userId),
        };
      },
    );

    routes.post(
      "/step/:n/skip",
      {
        schema: {
          tags,
          summary: "Skip an optional step (only step 5)",
          params: stepParams,
          response: { 200: z.object({ message: z.string(), step_number: z.number().int() }), ...commonErrors },
        },
      },
      async (request) => {
        const stepNumber = request.params.n;
        await wizard.skip(request.auth.userId, stepNumber);
        return { message: `Step ${stepNumber} (${STEP_CATALOGUE[stepNumber].title}) skipped`, step_number: stepNumber };
      },
    );

    routes.get(
      "/step/:n/validate",
      {
        schema: {
          tags,
          summary: "Whether a step is unlocked and holds enough to be completed",
          params: stepParams,
          response: {
            200: z.object({ can_proceed: z.boolean(), validation_errors: z.array(z.string()), step_status: z.enum(["locked", "available"]) }),
            ...commonErrors,
          },
        },
      },
      async (request) => {
        const stepNumber = request.params.n;
        const record = recordOrEmpty(await wizard.read(request.auth.userId));
        const locked = isLocked(record, stepNumber);
        const errors = locked ? ["complete the earlier steps first"] : wizard.completionErrors(record, stepNumber, request.auth.userId);
        return { can_proceed: !locked && errors.length === 0, validation_errors: errors, step_status: locked ? ("locked" as const) : ("available" as const) };
      },
    );
  };
}

/** Step 1 may be complete through the server's environment keys only; the user should know. */
function environmentOnlyWarning(wizard: Wizard, stepOneData: JsonObject | null, stepNumber: StepNumber, userId: string): string[] {
  if (stepNumber !== 1) return [];
  const saved = Object.keys((stepOneData?.api_keys as JsonObject | undefined) ?? {});
  const fromEnvironment = [...wizard.context(userId).environmentProviders];
  return saved.length === 0 && fromEnvironment.length > 0
    ? [`No key is saved: step 1 relies on the server's environment keys (${fromEnvironment.join(", ")}), which only this server has`]
    : [];
}
