import type { Logger } from "pino";
import { ValidationFailed } from "../errors/app-errors.js";
import type { OnboardingStore } from "../storage/onboarding-store.js";
import { stepOf, type JsonObject, type OnboardingRecord } from "./onboarding-record.js";
import type { StepDefinition, StepUseContext } from "./step-definition.js";
import type { DataStepNumber, StepNumber } from "./step-catalogue.js";
import {
  completeOnboarding,
  completeStep,
  refuseStepDone,
  resetProgress,
  saveStepData,
  skipStep,
  type CompletionErrors,
  type UndoRefusal,
} from "./step-transitions.js";

/** A route's `request.log`: the save's line then carries the request id (the line names the user itself). */
export type RequestLog = Pick<Logger, "info">;

/** Deletes what a user has outside the store (e.g. step 4's tasks); answers how many rows went. */
export type UserEraser = (userId: string) => Promise<number>;

export type SaveAction = "draft" | "complete" | "skip";

/** Told of every step change the store committed (the operators' metrics count them). */
export interface SaveObserver {
  recordSave(step: StepNumber, action: SaveAction): void;
}

export interface WizardOptions {
  readonly store: OnboardingStore;
  readonly definitions: readonly StepDefinition[];
  /** Providers whose keys the server's environment holds (LOCAL_ENV_KEYS). */
  readonly environmentProviders: ReadonlySet<string>;
  readonly logger: Pick<Logger, "info">;
  readonly erasers?: readonly UserEraser[];
  readonly saves?: SaveObserver;
}

const NO_OBSERVER: SaveObserver = { recordSave: () => undefined };

/**
 * What a user can do in the wizard, on top of the store. Routes of every step call this; the
 * rules themselves are in step-rules.ts and step-transitions.ts.
 */
export class Wizard {
  readonly #store: OnboardingStore;
  readonly #definitions: readonly StepDefinition[];
  readonly #environmentProviders: ReadonlySet<string>;
  readonly #logger: Pick<Logger, "info">;
  readonly #erasers: readonly UserEraser[];
  readonly #saves: SaveObserver;

  constructor(options: WizardOptions) {
    this.#store = options.store;
    this.#definitions = options.definitions;
    this.#environmentProviders = options.environmentProviders;
    this.#logger = options.logger;
    this.#erasers = options.erasers ?? [];
    this.#saves = options.saves ?? NO_OBSERVER;
  }

  get definitions(): readonly StepDefinition[] {
    return this.#definitions;
  }

  read(userId: string): Promise<OnboardingRecord | null> {
    return this.#store.read(userId);
  }

  context(userId: string): StepUseContext {
    return { userId, environmentProviders: this.#environmentProviders };
  }

  definition(stepNumber: DataStepNumber): StepDefinition {
    const definition = this.#definitions.find((d) => d.stepNumber === stepNumber);
    if (definition === undefined) throw new Error(`no definition for step ${stepNumber}`);
    return definition;
  }

  /** POST /start: creates the user's session unless there is one; changes nothing else. */
  async start(userId: string): Promise<{ record: OnboardingRecord; created: boolean }> {
    const existing = await this.#store.read(userId);
    if (existing !== null) return { record: existing, created: false };
    return { record: await this.#store.update(userId, (current) => current), created: true };
  }

  /** PUT /step/{n}: `input` was validated with the step's schema. */
  async saveDraft(userId: string, stepNumber: DataStepNumber, input: JsonObject, log?: RequestLog): Promise<OnboardingRecord> {
    const definition = this.definition(stepNumber);
    const context = this.context(userId);
    const record = await this.#store.update(userId, (current, now) =>
      saveStepData(current, stepNumber, definition.toStored(input, stepOf(current, stepNumber).data, context), now, ...this.#rule(definition, userId)),
    );
    this.#saves.recordSave(stepNumber, "draft");
    this.#logSave(log, userId, definition, input);
    return record;
  }

  /**
   * Changes a step's stored data with a function of what it holds (one API key, an analysis):
   * a draft, under the same rule as PUT (a done step stays done, or the change is refused).
   */
  async changeStepData(
    userId: string,
    stepNumber: DataStepNumber,
    change: (stored: JsonObject | null) => JsonObject | null,
    logged: JsonObject,
    log?: RequestLog,
  ): Promise<OnboardingRecord> {
    const rule = this.#rule(this.definition(stepNumber), userId);
    const record = await this.#store.update(userId, (current, now) =>
      saveStepData(current, stepNumber, change(stepOf(current, stepNumber).data), now, ...rule),
    );
    this.#saves.recordSave(stepNumber, "draft");
    this.#logSave(log, userId, this.definition(stepNumber), logged);
    return record;
  }

  /** POST /step/{n}/complete. Step 6 completes the onboarding itself. */
  async complete(userId: string, stepNumber: StepNumber, input: JsonObject | undefined, log?: RequestLog): Promise<OnboardingRecord> {
    if (stepNumber === 6) return this.completeOnboarding(userId);
    const definition = this.definition(stepNumber);
    const context = this.context(userId);
    const [completionErrors, refuse] = this.#rule(definition, userId);
    const record = await this.#store.update(userId, (current, now) => {
      const stored = input === undefined ? undefined : definition.toStored(input, stepOf(current, stepNumber).data, context);
      return completeStep(current, stepNumber, stored, completionErrors, now, refuse);
    });
    this.#saves.recordSave(stepNumber, "complete");
    if (input !== undefined) this.#logSave(log, userId, definition, input);
    return record;
  }

  async skip(userId: string, stepNumber: StepNumber): Promise<OnboardingRecord> {
    const record = await this.#store.update(userId, (current, now) => skipStep(current, stepNumber, now));
    this.#saves.recordSave(stepNumber, "skip");
    return record;
  }

  async completeOnboarding(userId: string): Promise<OnboardingRecord> {
    const record = await this.#store.update(userId, (current, now) => completeOnboarding(current, now));
    this.#saves.recordSave(6, "complete");
    return record;
  }

  /** Soft: steps back to pending, data kept. Hard: everything the user has is erased (right to erasure). */
  async reset(userId: string, hard: boolean): Promise<{ erased: boolean; record: OnboardingRecord | null }> {
    if (hard) {
      const erased = await this.#store.erase(userId);
      let elsewhere = 0;
      for (const erase of this.#erasers) elsewhere += await erase(userId);
      return { erased: erased || elsewhere > 0, record: null };
    }
    if ((await this.#store.read(userId)) === null) return { erased: false, record: null };
    return { erased: false, record: await this.#store.update(userId, (current, now) => resetProgress(current, now)) };
  }

  /** Why step `n` cannot be completed with what it holds now. */
  completionErrors(record: OnboardingRecord, stepNumber: StepNumber, userId: string): string[] {
    if (stepNumber === 6) return [];
    return this.definition(stepNumber).completionErrors(stepOf(record, stepNumber).data, this.context(userId));
  }

  /** The step's completion rule for this user, and how an edit that would undo the done step is refused. */
  #rule(definition: StepDefinition, userId: string): [CompletionErrors, UndoRefusal] {
    const context = this.context(userId);
    const refuse = definition.refuseUndoing;
    return [(data) => definition.completionErrors(data, context), refuse === undefined ? refuseStepDone : (_n, reasons) => refuse(reasons)];
  }

  #logSave(log: RequestLog | undefined, userId: string, definition: StepDefinition, input: JsonObject): void {
    const [where, to] = this.#store.mode === "file" ? ["FILE", "progress file"] : ["DATABASE", "database"];
    for (const subject of definition.describeSave(input)) {
      const message = `✅ ${where}: ${subject} saved to ${to} for user ${userId}`;
      (log ?? this.#logger).info({ user_id: userId, step: definition.stepNumber }, message);
    }
  }
}

export function requireStepData(stepNumber: StepNumber): DataStepNumber {
  if (stepNumber === 6) {
    throw new ValidationFailed("Step 6 holds no data of its own; finish the onboarding instead", [
      { path: "n", message: "step 6 has no data" },
    ]);
  }
  return stepNumber;
}
