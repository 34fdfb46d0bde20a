import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { NotFound } from "../../errors/app-errors.js";
import { refuseJsonNull } from "../../http/refuse-json-null.js";
import { commonErrors, errorSchema } from "../../http/view-schemas.js";
import { recordOrEmpty } from "../../onboarding/onboarding-view.js";
import { refuseIfLocked } from "../../onboarding/step-transitions.js";
import { generateAndSavePersona, type GeneratedPersona } from "./generate-and-save-persona.js";
import { oldPlatformNamesSchema, withOldPlatformNames } from "./old-platform-persona.js";
import { generatedPersonaSchema, type PersonaRouteDependencies } from "./persona-routes.js";
import { generatePersonaBodySchema, requestedPlatforms } from "./persona-schema.js";
import { PersonaTaskRun } from "./tasks/persona-task-run.js";
import { PERSONA_TASK_STATUSES, type PersonaTask, type PersonaTaskStore } from "./tasks/persona-task-store.js";

const taskSchema = z.object({
  task_id: z.string(),
  status: z.enum(PERSONA_TASK_STATUSES),
  progress: z.number().int().min(0).max(100),
  current_step: z.string().describe("The latest progress message (the old platform's field)"),
  progress_messages: z.array(z.object({ timestamp: z.string(), message: z.string(), progress: z.number().int() })),
  result: generatedPersonaSchema
    .extend(oldPlatformNamesSchema.shape)
    .extend({ success: z.literal(true) })
    .nullable()
    .describe("Once completed: the synchronous route's answer, with the old platform's snake_case names beside the persona's own"),
  error: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

const startedSchema = z.object({
  task_id: z.string(),
  status: z.enum(PERSONA_TASK_STATUSES),
  message: z.string(),
});

export interface PersonaTaskRouteDependencies extends PersonaRouteDependencies {
  readonly tasks: PersonaTaskStore;
}

/**
 * Step 4's generation as a task (the old platform's client starts it, then polls): the task is a
 * row in the database, so a poll may land on any instance; the work runs in the instance that
 * accepted it, under the same per-user limit and one-at-a-time rule as the synchronous route.
 */
export function personaTaskRoutes({ wizard, guard, chatClientFor, tasks }: PersonaTaskRouteDependencies): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const tags = ["step 4: persona"];

    routes.post(
      "/step4/generate-personas-async",
      {
        preValidation: refuseJsonNull,
        schema: {
          tags,
          summary: "Start generating a persona as a task (202); poll GET /step4/persona-task/{task_id}. A second start while one runs answers that task",
          body: generatePersonaBodySchema.nullish(),
          response: { 202: startedSchema, 429: errorSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        const userId = request.auth.userId;
        refuseIfLocked(recordOrEmpty(await wizard.read(userId)), 4);
        const unfinished = await tasks.unfinished(userId);
        if (unfinished !== null) return reply.code(202).send(started(unfinished, "A persona generation is already running; poll it"));
        const inProcess = guard.running<GeneratedPersona>(userId, "persona");
        if (inProcess === undefined) await guard.admit(userId);
        const { task, created } = await tasks.create(userId);
        if (created) {
          const run = new PersonaTaskRun(tasks, task);
          const selectedPlatforms = requestedPlatforms(request.body);
          const generation =
            inProcess ??
            guard.track(userId, "persona", () => generateAndSavePersona({ wizard, chatClientFor }, { userId, selectedPlatforms, log: request.log }, run.report));
          void run.follow(generation, request.log);
        }
        return reply.code(202).send(started(task, "Persona generation started; follow its progress with its task id"));
      },
    );

    routes.get(
      "/step4/persona-task/:task_id",
      {
        schema: {
          tags,
          summary: "A persona task's state; another user's task, or one finished over a day ago, is 404",
          params: z.object({ task_id: z.string().max(64) }),
          response: { 200: taskSchema, 404: errorSchema, ...commonErrors },
        },
      },
      async (request) => {
        const task = await tasks.find(request.auth.userId, request.params.task_id);
        if (task === null) throw new NotFound(`No persona task ${request.params.task_id}`);
        return taskView(task);
      },
    );
  };
}

function started(task: PersonaTask, message: string) {
  return { task_id: task.taskId, status: task.status, message };
}

function taskView(task: PersonaTask): z.infer<typeof taskSchema> {
  const persona = task.status === "completed" && task.result !== null ? (task.result as unknown as GeneratedPersona) : null;
  return {
    task_id: task.taskId,
    status: task.status,
    progress: task.progress,
    current_step: task.progressMessages.at(-1)?.message ?? "",
    progress_messages: [...task.progressMessages],
    result: persona === null ? null : { success: true as const, ...withOldPlatformNames(persona) },
    error: task.error,
    created_at: task.createdAt,
    updated_at: task.updatedAt,
  };
}
