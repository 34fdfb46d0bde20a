/**
 * The error catalogue: every failure a client can cause has a class here with a stable code.
 * `http/error-handler.ts` maps them to status codes and the SPEC §4 body in one place.
 */
export interface FieldError {
  /** Dotted path into the request, e.g. `data.research_depth`. */
  readonly path: string;
  readonly message: string;
}

export abstract class AppError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  readonly errors: readonly FieldError[];
  /** Sent as `Retry-After` when set: the client may try again after that many seconds. */
  readonly retryAfterSeconds: number | undefined = undefined;

  constructor(message: string, errors: readonly FieldError[] = [], options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.errors = errors;
  }
}

export class ValidationFailed extends AppError {
  readonly code = "validation_failed";
  readonly status = 400;
}

export class Unauthorized extends AppError {
  readonly code: string = "unauthorized";
  readonly status = 401;
}

/** A Clerk session with tasks left (`sts: "pending"`, e.g. choosing an organisation): signed out, as Clerk's SDKs treat it. */
export class SessionPending extends Unauthorized {
  override readonly code = "session_pending";
}

export class Forbidden extends AppError {
  readonly code = "forbidden";
  readonly status = 403;
}

export class NotFound extends AppError {
  readonly code = "not_found";
  readonly status = 404;
}

/** POST /api-keys/{provider}/check for a provider without a key to check. */
export class NoKeySaved extends AppError {
  readonly code = "no_key";
  readonly status = 404;
}

export class StepLocked extends AppError {
  readonly code = "step_locked";
  readonly status = 409;
}

export class CannotComplete extends AppError {
  readonly code = "cannot_complete";
  readonly status = 409;
}

/** An edit would take a completed or skipped step below done (SPEC §4: a status never goes down by an edit). */
export class StepDone extends AppError {
  readonly code = "step_done";
  readonly status = 409;
}

/** An edit would leave done step 1 without a language-model key (SPEC §4): replace the key instead. */
export class LastModelKey extends AppError {
  readonly code = "last_model_key";
  readonly status = 409;
}

export class StepNotSkippable extends AppError {
  readonly code = "step_not_skippable";
  readonly status = 409;
}

export class FileCollisionConflict extends AppError {
  readonly code = "file_collision";
  readonly status = 409;
}

export class PayloadTooLarge extends AppError {
  readonly code = "payload_too_large";
  readonly status = 413;
}

export class UnsupportedMediaType extends AppError {
  readonly code = "unsupported_media_type";
  readonly status = 415;
}

export class RateLimited extends AppError {
  readonly code = "rate_limited";
  readonly status = 429;
  override readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The database could not be reached or dropped the connection; `cause` is the driver's error (logged, never sent). */
export class DatabaseUnavailable extends AppError {
  readonly code = "database_unavailable";
  readonly status = 503;
  override readonly retryAfterSeconds = 5;

  constructor(cause: unknown) {
    super("The database is unavailable; try again shortly", [], { cause });
  }
}

/** Redis (REDIS_URL), which keeps the limits of expensive work, did not answer: only the expensive routes need it. */
export class LimitsUnavailable extends AppError {
  readonly code = "limits_unavailable";
  readonly status = 503;
  override readonly retryAfterSeconds = 5;

  constructor(cause: unknown) {
    super("The service that keeps the limits of expensive work is unavailable; try again shortly", [], { cause });
  }
}
