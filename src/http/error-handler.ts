import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { ConnectionError, FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { AppError, type FieldError } from "../errors/app-errors.js";
import { FileCollision, ProgressFileDamaged } from "../storage/storage-errors.js";
import { errorBody, type ErrorBody } from "./error-body.js";
import { fieldErrors } from "./field-errors.js";

interface Mapped {
  readonly status: number;
  readonly body: ErrorBody;
  readonly headers?: Record<string, string>;
}

/**
 * The one place errors become HTTP. Typed errors carry their status and code (the database's
 * outages arrive typed, as `DatabaseUnavailable`); the framework's errors are recognised here by
 * code; anything else is a 500 whose body says nothing inside.
 * Three ways in, one answer: the error handler (routes, hooks, body parsing), Fastify's
 * `frameworkErrors` (a URL the router cannot read) and `clientErrorHandler` (bytes that are not
 * HTTP, before there is a request at all).
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler(answerError);
}

/** Fastify's constructor options for the errors it raises before any route or hook runs. */
export function earlyErrorOptions(logger: FastifyBaseLogger): Pick<FastifyServerOptions, "frameworkErrors" | "clientErrorHandler"> {
  return { frameworkErrors: answerError, clientErrorHandler: (error, socket) => answerClientError(error, socket, logger) };
}

function answerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = mapError(error);
  const user = request.auth === undefined ? {} : { user_id: request.auth.userId };
  if (mapped.status >= 500) request.log.error({ err: error, ...user }, "request failed");
  else request.log.info({ code: mapped.body.code, status: mapped.status, ...user }, mapped.body.detail);
  return reply.code(mapped.status).headers(mapped.headers ?? {}).send(mapped.body);
}

/**
 * The answer to an unknown route: the root's not-found handler (set by the web page's tier,
 * http/web-page.ts), and the authenticated scope's, so that its hooks run first there: an
 * anonymous caller cannot map which routes exist.
 */
export function answerNoRoute(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(404).send(errorBody("There is nothing at this address", "not_found"));
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
  return fromFrameworkError(error as FastifyError);
}

function fromAppError(error: AppError): Mapped {
  const headers = error.retryAfterSeconds === undefined ? undefined : { "retry-after": String(error.retryAfterSeconds) };
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

/** Fastify's errors by code, and Node's for a request body cut off. */
const FRAMEWORK_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_BAD_URL: { status: 400, code: "invalid_url", detail: "The URL is not valid: a % must start an escape such as %20" },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: "uri_too_long", detail: "A part of the URL is longer than 100 characters" },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: "payload_too_large", detail: "The request body is larger than 1 MiB" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: "unsupported_media_type", detail: "Send the body as application/json" },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: "invalid_body", detail: "The Content-Length does not match the body" },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: "invalid_json", detail: "The body is not valid JSON" },
  // The client hung up mid-body: nobody reads this answer, but its log line (info) says what happened.
  ECONNRESET: { status: 400, code: "request_aborted", detail: "The client closed the connection before its request arrived in full" },
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

/** Errors of Node's HTTP parser, which come before there is a request to answer. */
const PROTOCOL_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: "headers_too_large", detail: "The request headers are larger than 16 KiB" },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: "request_timeout", detail: "The request did not arrive in time" },
};

function mapClientError(error: ConnectionError): Mapped {
  const known = PROTOCOL_ERRORS[error.code];
  return known === undefined
    ? { status: 400, body: errorBody("The request is not valid HTTP/1.1", "malformed_request") }
    : { status: known.status, body: errorBody(known.detail, known.code) };
}

/** As Node's own answer to a client error, but in the one error shape; the connection is closed after it. */
function answerClientError(error: ConnectionError, socket: Socket, logger: FastifyBaseLogger): void {
  // A connection reset leaves no one to answer.
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const { status, body } = mapClientError(error);
  logger.info({ code: body.code, status, parser_code: error.code }, body.detail);
  // Never write into the middle of an answer already on its way on this connection.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && inFlight?.headersSent !== true) {
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}
