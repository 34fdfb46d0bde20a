import type { Logger } from "pino";
import { AppError } from "../../../errors/app-errors.js";
import type { JsonObject } from "../../../onboarding/onboarding-record.js";
import type { GeneratedPersona, ProgressReporter } from "../generate-and-save-persona.js";
import type { PersonaTask, PersonaTaskState, PersonaTaskStore, ProgressMessage } from "./persona-task-store.js";

/**
 * A task this process works on: it writes each stage of the generation to the task's row, then
 * the outcome. It alone writes the row while it runs, so it keeps the list of messages itself.
 */
export class PersonaTaskRun {
  readonly #tasks: PersonaTaskStore;
  readonly #taskId: string;
  readonly #messages: ProgressMessage[];
  #progress = 0;

  constructor(tasks: PersonaTaskStore, task: PersonaTask) {
    this.#tasks = tasks;
    this.#taskId = task.taskId;
    this.#messages = [...task.progressMessages];
  }

  readonly report: ProgressReporter = (progress, message) => this.#tasks.write(this.#taskId, this.#next("running", progress, message));

  /**
   * Records how `generation` ends. Never rejects: the request that started the task has long
   * been answered, so a failure becomes the task's `error` (and a log line), never a crash.
   */
  async follow(generation: Promise<GeneratedPersona>, log: Pick<Logger, "error" | "warn">): Promise<void> {
    try {
      const persona = await generation;
      const done = persona.warnings.length === 0 ? "Persona ready" : `Persona ready, with ${persona.warnings.length} warning(s)`;
      await this.#tasks.write(this.#taskId, { ...this.#next("completed", 100, done), result: persona as unknown as JsonObject });
    } catch (error) {
      const reason = publicReason(error);
      if (error instanceof AppError) log.warn({ step: 4, code: error.code }, `persona task failed: ${reason}`);
      else log.error({ step: 4, err: error }, "persona task failed");
      await this.#tasks
        .write(this.#taskId, { ...this.#next("failed", this.#progress, "Generation failed"), error: reason })
        .catch((writeError: unknown) => log.error({ step: 4, err: writeError }, "persona task outcome not recorded"));
    }
  }

  #next(status: PersonaTaskState["status"], progress: number, message: string): PersonaTaskState {
    this.#progress = progress;
    this.#messages.push({ timestamp: new Date().toISOString(), message, progress });
    return { status, progress, progressMessages: [...this.#messages] };
  }
}

/** What a client may read about a failure: our own errors' sentences, never an internal message. */
function publicReason(error: unknown): string {
  if (error instanceof AppError) return error.message;
  return "The persona could not be generated because of an error on our side; it has been logged";
}
