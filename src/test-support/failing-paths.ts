import type { z } from "zod";

/** The dotted path of every field `schema` refuses in `payload`, once each; an unknown key is blamed on the key itself. */
export function failingPaths(schema: z.ZodType, payload: unknown): string[] {
  const result = schema.safeParse(payload);
  if (result.success) return [];
  const paths = result.error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...issue.path, key].join(".")) : [issue.path.join(".")],
  );
  return [...new Set(paths)];
}
