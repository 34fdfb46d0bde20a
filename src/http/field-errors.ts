import type { FieldError } from "../errors/app-errors.js";

/** What zod and fastify-type-provider-zod report about one problem, reduced to what we need. */
export interface Problem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
  /** Set for `unrecognized_keys`: the unknown keys of the object at `path`. */
  readonly keys?: readonly string[];
}

/**
 * One field error per problem, under `root`. An unknown key is blamed on the key itself
 * (`data.extra`), not on the object that holds it, so a client can point at the field.
 */
export function fieldErrors(problems: readonly Problem[], root: readonly string[] = []): FieldError[] {
  return problems.flatMap((problem) => {
    const base = [...root, ...problem.path.map(String)];
    if (problem.code === "unrecognized_keys" && problem.keys !== undefined && problem.keys.length > 0) {
      return problem.keys.map((key) => ({ path: [...base, key].join("."), message: "is not a known field" }));
    }
    return [{ path: base.join("."), message: problem.message }];
  });
}
