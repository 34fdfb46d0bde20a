import { CompiledQuery } from "kysely";
import { describe, expect, it } from "vitest";
import { chainStatements } from "./postgres-statement-chain.js";

const statement = (sql: string, ...parameters: unknown[]) => CompiledQuery.raw(sql, parameters);

describe("chainStatements", () => {
  it("joins statements as the parts of one WITH, renumbering each part's placeholders after the ones before it", () => {
    const [chained, ...rest] = chainStatements([
      statement('delete from "a" where "session_id" in ($1, $2)', 7, 8),
      statement('insert into "b" ("x", "y") values ($1, $2) on conflict ("x") do update set "y" = excluded."y"', "x1", "y1"),
      statement('update "c" set "z" = $1 where "id" = $2 and "w" = $10', "z", 3, "w"),
    ]);
    expect(rest).toEqual([]);
    expect(chained?.sql).toBe(
      'with w1 as (delete from "a" where "session_id" in ($1, $2)), ' +
        'w2 as (insert into "b" ("x", "y") values ($3, $4) on conflict ("x") do update set "y" = excluded."y"), ' +
        'w3 as (update "c" set "z" = $5 where "id" = $6 and "w" = $14) select 1',
    );
    expect(chained?.parameters).toEqual([7, 8, "x1", "y1", "z", 3, "w"]);
  });

  it("leaves a lone statement as it is", () => {
    const lone = statement('delete from "a" where "session_id" = $1', 1);
    expect(chainStatements([lone])).toEqual([lone]);
    expect(chainStatements([])).toEqual([]);
  });

  it("starts a new chain before one would pass the parameter limit", () => {
    const chains = chainStatements(
      [statement("select $1, $2", 1, 2), statement("select $1, $2", 3, 4), statement("select $1, $2", 5, 6)],
      4,
    );
    expect(chains.map((chain) => chain.parameters)).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ]);
  });
});
