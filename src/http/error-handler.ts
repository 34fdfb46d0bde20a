import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { AppError, RateLimited, type FieldError } from "../errors/app-errors.js";
import { FileCollision, ProgressFileDamaged } from "../storage/storage-errors.js";
import { isDatabaseUnavailable } from "./database-errors.js";
import { errorBody, type ErrorBody } from "./error-body.js";
import { fieldErrors } from "./field-errors.js";

interface Mapped {
  readonly status: number;
  readonly body: ErrorBody;
  readonly headers?: Record<string, string>;
}

/**
 * The one place errors become HTTP. Typed errors carry their status and code; framework and
 * driver errors are recognised here; anything else is a 500 whose body says nothing inside.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = mapError(error);
    if (mapped.status >= 500) request.log.error({ err: error }, "request failed");
    else request.log.info({ code: mapped.body.code, status: mapped.status }, mapped.body.detail);
    return reply.code(mapped.status).headers(mapped.headers ?? {}).send(mapped.body);
  });
}

/**
 * The answer to an unknown route: the root's not-found handler (set by the web page's tier,
 * http/web-page.ts), and the authenticated scope's, so that its hooks run first there: an
 * anonymous caller cannot map which routes exist.
 */
export function answerNoRoute(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(404).send(errorBody(`No route ${request.method} ${request.url.split("?")[0]}`, "not_found"));
}

export function mapError(error: FastifyError | Error): Mapped {
  if (error instanceof AppError) return fromAppError(error);
  if (hasZodFastifySchemaValidationErrors(error)) return fromSchemaValidation(error as FastifyError);
  if (error instanceof FileCollision) {
    return { status: 409, body: errorBody("Your progress file name is taken by another user id; it was not read or changed", "file_collision") };
  }
  if (error instanceof ProgressFileDamaged) {
    return { status: 500, body: errorBody("Your saved progress file is damaged; an operator can repair it with the CLI", "progress_file_damaged") };
  }
  if (isDatabaseUnavailable(error)) {
    return { status: 503, body: errorBody("The database is unavailable; try again shortly", "database_unavailable"), headers: { "retry-after": "5" } };
  }
  return fromFrameworkError(error as FastifyError);
}

function fromAppError(error: AppError): Mapped {
  const headers = error instanceof RateLimited ? { "retry-after": String(error.retryAfterSeconds) } : undefined;
  return { status: error.status, body: errorBody(error.message, error.code, error.errors), ...(headers ? { headers } : {}) };
}

/**
 * Paths name the field as the client wrote it (`provider`, `hard`, `data.research_depth`), not
 * where Fastify found it; only a problem with the whole body or query is blamed on `body`/`querystring`.
 */
function fromSchemaValidation(error: FastifyError): Mapped {
  const where = error.validationContext ?? "body";
  const problems = (error.validation ?? []).map((issue) => ({
    path: issue.instancePath.split("/").filter((part) => part !== ""),
    message: issue.message ?? "is not valid",
    code: issue.keyword,
    keys: (issue.params as { keys?: string[] } | undefined)?.keys,
  }));
  const errors: FieldError[] = fieldErrors(problems).map((e) => (e.path === "" ? { ...e, path: where } : e));
  const detail = `The request is not valid: ${errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`;
  return { status: 400, body: errorBody(detail, "validation_failed", errors) };
}

const FRAMEWORK_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: "payload_too_large", detail: "The request body is larger than 1 MiB" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: "unsupported_media_type", detail: "Send the body as application/json" },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: "invalid_body", detail: "The Content-Length does not match the body" },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: "invalid_json", detail: "The body is not valid JSON" },
};

function fromFrameworkError(error: FastifyError): Mapped {
  const known = error.code === undefined ? undefined : FRAMEWORK_ERRORS[error.code];
  if (known !== undefined) return { status: known.status, body: errorBody(known.detail, known.code) };
  if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
    return { status: 400, body: errorBody("The body is not valid JSON", "invalid_json") };
  }
  if (typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, body: errorBody("The request could not be processed", "bad_request") };
  }
  return { status: 500, body: errorBody("Something went wrong on our side; it has been logged", "internal_error") };
}
