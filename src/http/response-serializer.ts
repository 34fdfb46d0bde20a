import type { FastifySerializerCompiler } from "fastify/types/schema.js";
import fastJsonStringify from "fast-json-stringify";
import { z } from "zod";

/**
 * Answers are written by fast-json-stringify from each route's zod response schema, turned into
 * JSON Schema once at start: only the declared properties leave (what zod's parse guarded), a
 * missing required one fails the answer, and our own typed data is not parsed again on every
 * request (a recursive zod parse of every saved analysis was a fifth of a summary's CPU).
 * The free-form JSON inside (analysis, persona) is any JSON and is written as it is.
 */
export const responseSerializerCompiler: FastifySerializerCompiler<z.ZodType> = ({ schema }) => {
  const json = z.toJSONSchema(schema, { target: "openapi-3.0", io: "output", unrepresentable: "any" });
  return fastJsonStringify(withAnyJsonInline(json) as unknown as Parameters<typeof fastJsonStringify>[0]) as (data: unknown) => string;
};

/** `JsonValue` (any JSON, recursive) becomes the empty schema: JSON.stringify writes such values whole. */
function withAnyJsonInline(schema: Record<string, unknown>): Record<string, unknown> {
  const { definitions: _definitions, ...rest } = schema;
  return JSON.parse(JSON.stringify(rest), (_key, value: unknown) =>
    isJsonValueRef(value) ? {} : value,
  ) as Record<string, unknown>;
}

function isJsonValueRef(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as { $ref?: unknown }).$ref === "#/definitions/JsonValue";
}
