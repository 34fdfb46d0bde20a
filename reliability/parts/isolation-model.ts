/**
 * What one user has saved, and what each request should answer, by SPEC §4's rules, written
 * here on their own (not imported from src/onboarding): the suite compares the server's rules
 * with a second reading of the specification.
 */

export const LLM_PROVIDERS = ["openai", "gemini", "anthropic", "mistral"] as const;
export const KEY_PROVIDERS = ["openai", "gemini", "anthropic", "mistral", "exa", "tavily", "serper", "firecrawl", "stability", "copilotkit"] as const;
const ANALYSIS_FIELDS = ["writing_style", "content_characteristics", "target_audience", "content_type", "recommended_settings", "brand_analysis", "content_strategy_insights", "style_patterns", "style_guidelines"];

export type Status = "pending" | "in_progress" | "completed" | "skipped";
export type Json = Record<string, unknown>;

/** Refused with this status and code, or accepted (200, or 204 for a deleted key). */
export type Expected = { readonly ok: true } | { readonly ok: false; readonly status: number; readonly code: string };

const refused = (status: number, code: string): Expected => ({ ok: false, status, code });
const ACCEPTED: Expected = { ok: true };

export class UserModel {
  exists = false;
  isCompleted = false;
  readonly status: Status[] = ["pending", "pending", "pending", "pending", "pending", "pending"];
  /** Steps 2-5's data as answers show it (index 0 is step 1, kept as `keys`). */
  readonly data: (Json | null)[] = [null, null, null, null, null, null];
  /** Step 1's keys in clear: answers show their masks. */
  keys: Record<string, string> = {};

  isDone(step: number): boolean {
    const status = this.status[step - 1];
    return status === "completed" || status === "skipped";
  }

  isLocked(step: number): boolean {
    for (let lower = 1; lower < step; lower++) if (!this.isDone(lower)) return true;
    return false;
  }

  currentStep(): number {
    for (let step = 1; step <= 5; step++) if (!this.isDone(step)) return step;
    return 6;
  }

  percentage(): number {
    return Math.round((this.status.filter((s) => s === "completed" || s === "skipped").length / 6) * 1000) / 10;
  }

  /** Step n's data as GET /step/{n} shows it. */
  dataOf(step: number): Json | null {
    if (step === 1) return Object.keys(this.keys).length === 0 ? null : { api_keys: this.masks() };
    return this.data[step - 1] ?? null;
  }

  masks(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.keys).map(([provider, key]) => [provider, mask(key)]));
  }

  /** PUT /step/{n}: a done step stays done, so its new data must still complete it. */
  save(step: number, data: Json): Expected {
    if (this.isLocked(step)) return refused(409, "step_locked");
    const undone = this.#refuseUndoing(step, this.#preview(step, data));
    if (undone !== undefined) return undone;
    this.#store(step, data);
    this.#draft(step);
    return ACCEPTED;
  }

  /** POST /step/{n}/complete, with or without data. */
  complete(step: number, data: Json | undefined): Expected {
    if (this.isLocked(step)) return refused(409, "step_locked");
    const candidate = data === undefined ? this.dataOf(step) : this.#preview(step, data);
    const undone = this.#refuseUndoing(step, candidate);
    if (undone !== undefined) return undone;
    if (!completable(step, candidate)) return refused(409, "cannot_complete");
    if (data !== undefined) this.#store(step, data);
    this.exists = true;
    this.status[step - 1] = "completed";
    return ACCEPTED;
  }

  skip(step: number): Expected {
    if (step !== 5) return refused(409, "step_not_skippable");
    if (this.isLocked(5)) return refused(409, "step_locked");
    if (this.status[4] !== "completed") this.status[4] = "skipped";
    return ACCEPTED;
  }

  /** POST /complete: idempotent once done. */
  finish(): Expected {
    if (this.isCompleted) return ACCEPTED;
    const missing = [1, 2, 3, 4].some((step) => this.status[step - 1] !== "completed") || !this.isDone(5);
    if (missing) return refused(409, "cannot_complete");
    this.isCompleted = true;
    this.status[5] = "completed";
    return ACCEPTED;
  }

  reset(hard: boolean): Expected {
    if (hard) {
      this.exists = false;
      this.keys = {};
      this.data.fill(null);
    }
    if (hard || this.exists) {
      this.status.fill("pending");
      this.isCompleted = false;
    }
    return ACCEPTED;
  }

  addKey(provider: string, key: string): Expected {
    const keys = { ...this.keys, [provider]: key };
    const undone = this.#refuseUndoing(1, { api_keys: keys });
    if (undone !== undefined) return undone;
    this.keys = keys;
    this.#draft(1);
    return ACCEPTED;
  }

  /**
   * DELETE /api-keys/{provider}: 204 whether or not there was one; removing the last key empties
   * step 1, its status unchanged; removing the last model key of a done step 1 is refused (no
   * environment key counts in the suite's servers).
   */
  deleteKey(provider: string): Expected {
    if (this.keys[provider] === undefined) return ACCEPTED;
    const { [provider]: _gone, ...rest } = this.keys;
    const undone = this.#refuseUndoing(1, Object.keys(rest).length === 0 ? null : { api_keys: rest });
    if (undone !== undefined) return undone;
    this.keys = rest;
    if (Object.keys(rest).length > 0) this.#draft(1);
    return ACCEPTED;
  }

  /** An expensive route that saves what it made as step `step`'s draft (analysis: 2, persona: 4); `made` is what it answered. */
  generated(step: number, made: Json | undefined): Expected {
    if (this.isLocked(step)) return refused(409, "step_locked");
    if (made !== undefined) {
      const undone = this.#refuseUndoing(step, made);
      if (undone !== undefined) return undone;
      this.data[step - 1] = made;
      this.#draft(step);
    }
    return ACCEPTED;
  }

  start(): Expected {
    this.exists = true;
    return ACCEPTED;
  }

  #preview(step: number, data: Json): Json {
    if (step !== 1) return data;
    return { api_keys: { ...this.keys, ...(data.api_keys as Record<string, string>) } };
  }

  #store(step: number, data: Json): void {
    if (step === 1) this.keys = { ...this.keys, ...(data.api_keys as Record<string, string>) };
    else this.data[step - 1] = data;
  }

  /**
   * SPEC §4: a status never goes down by an edit. A done step whose new data would not complete
   * it refuses the edit: step 1 (whose only rule is a model key) with last_model_key, others
   * with step_done.
   */
  #refuseUndoing(step: number, candidate: Json | null): Expected | undefined {
    if (!this.isDone(step) || completable(step, candidate)) return undefined;
    return refused(409, step === 1 ? "last_model_key" : "step_done");
  }

  /** A save keeps a done step done (a skipped one becomes completed: its data meets the rule); anything else becomes in progress. */
  #draft(step: number): void {
    this.exists = true;
    this.status[step - 1] = this.isDone(step) ? "completed" : "in_progress";
  }
}

/** SPEC §4: step 1 needs an LLM provider's key; step 2 a website and an analysis; 3-5 their data. */
function completable(step: number, data: Json | null): boolean {
  if (data === null) return false;
  if (step === 1) return LLM_PROVIDERS.some((provider) => (data.api_keys as Json | undefined)?.[provider] !== undefined);
  if (step === 2) {
    const analysis = data.analysis as Json | undefined;
    if (typeof data.website !== "string" || analysis === undefined || analysis === null) return false;
    if (analysis.status === "failed" || analysis.status === "in_progress") return false;
    return ANALYSIS_FIELDS.some((field) => typeof analysis[field] === "object" && analysis[field] !== null && Object.keys(analysis[field] as object).length > 0);
  }
  return true;
}

/** SPEC §4: "*" × (len-4) + last4; only stars when len ≤ 4. */
export function mask(key: string): string {
  return key.length <= 4 ? "*".repeat(key.length) : `${"*".repeat(key.length - 4)}${key.slice(-4)}`;
}
