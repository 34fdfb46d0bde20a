import type { FastifySerializerCompiler } from "fastify/types/schema.js";
import fastJsonStringify from "fast-json-stringify";
import { z } from "zod";

type Serializer = (data: unknown) => string;

/** One serializer per schema object: the error schema alone is shared by every route's 4xx and 503. */
const compiled = new WeakMap<z.ZodType, Serializer>();

/**
 * Answers are written by fast-json-stringify from each route's zod response schema, turned into
 * JSON Schema once: only the declared properties leave (what zod's parse guarded), a missing
 * required one fails the answer, and our own typed data is not parsed again on every request
 * (a recursive zod parse of every saved analysis was a fifth of a summary's CPU). The free-form
 * JSON inside (analysis, persona) is any JSON and is written as it is. Each schema is compiled
 * at its first answer, not at start: most routes' error schemas are never used by a given process.
 */
export const responseSerializerCompiler: FastifySerializerCompiler<z.ZodType> = ({ schema }) => {
  return (data) => serializerOf(schema)(data);
};

function serializerOf(schema: z.ZodType): Serializer {
  let serializer = compiled.get(schema);
  if (serializer === undefined) {
    const json = z.toJSONSchema(schema, { target: "openapi-3.0", io: "output", unrepresentable: "any" });
    serializer = fastJsonStringify(withAnyJsonInline(json) as unknown as Parameters<typeof fastJsonStringify>[0]) as Serializer;
    compiled.set(schema, serializer);
  }
  return serializer;
}

/** `JsonValue` (any JSON, recursive) becomes the empty schema: JSON.stringify writes such values whole. */
function withAnyJsonInline(schema: Record<string, unknown>): Record<string, unknown> {
  const { definitions: _definitions, ...rest } = schema;
  return JSON.parse(JSON.stringify(rest), (_key, value: unknown) => (isJsonValueRef(value) ? {} : value)) as Record<string, unknown>;
}

function isJsonValueRef(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as { $ref?: unknown }).$ref === "#/definitions/JsonValue";
}
