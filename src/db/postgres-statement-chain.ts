import { CompiledQuery } from "kysely";

/** PostgreSQL's limit on the bound parameters of one statement. */
const MAX_PARAMETERS = 65_535;

/**
 * Joins data-modifying statements into `WITH w1 AS (…), w2 AS (…) SELECT 1`: PostgreSQL runs
 * every part of such a statement, on one snapshot, in one round trip. The parts' `$n`
 * placeholders are renumbered after those of the parts before them; our compiled SQL binds every
 * value, so a `$` followed by digits is always a placeholder. A chain stays under the parameter limit.
 */
export function chainStatements(statements: readonly CompiledQuery[], maxParameters = MAX_PARAMETERS): CompiledQuery[] {
  const chains: CompiledQuery[][] = [];
  let size = Number.POSITIVE_INFINITY;
  for (const statement of statements) {
    if (size + statement.parameters.length > maxParameters) {
      chains.push([]);
      size = 0;
    }
    chains.at(-1)!.push(statement);
    size += statement.parameters.length;
  }
  return chains.map((chain) => (chain.length === 1 ? chain[0]! : joined(chain)));
}

function joined(chain: readonly CompiledQuery[]): CompiledQuery {
  const parts: string[] = [];
  const parameters: unknown[] = [];
  for (const [index, statement] of chain.entries()) {
    const offset = parameters.length;
    parts.push(`w${index + 1} as (${statement.sql.replace(/\$(\d+)/g, (_match, n: string) => `$${Number(n) + offset}`)})`);
    parameters.push(...statement.parameters);
  }
  return CompiledQuery.raw(`with ${parts.join(", ")} select 1`, parameters);
}
