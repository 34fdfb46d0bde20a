import { randomBytes } from "node:crypto";
import pg from "pg";

export const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";

export interface BenchDatabase {
  /** The new, empty database: the import's migrations create its tables. */
  readonly url: string;
  drop(): Promise<void>;
}

/** A database of its own on the server at `serverUrl`, so that a benchmark starts empty and leaves nothing behind. */
export async function createPostgresBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `import_bench_${randomBytes(4).toString("hex")}`;
  await runAdmin(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => runAdmin(serverUrl, `drop database if exists ${name} with (force)`) };
}

async function runAdmin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
