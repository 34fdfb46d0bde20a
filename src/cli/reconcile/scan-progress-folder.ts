import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Database } from "../../db/database.js";
import { DatabaseStore } from "../../storage/database-store.js";
import { encodeProgressFile } from "../../storage/progress-file-format.js";
import { progressFileName } from "../../storage/progress-file-name.js";
import type { StepPersistence } from "../../storage/step-persistence.js";
import { listProgressFiles, type ProgressFileEntry } from "../import-files/progress-file-listing.js";
import { interpretProgressFile, type ReadProgressFile } from "../import-files/read-progress-file.js";
import { compareProgressFile } from "./compare-progress-file.js";
import type { DriftItem } from "./reconcile-report.js";

export interface ScanOptions {
  readonly database: Database;
  readonly steps: readonly StepPersistence[];
  readonly dir: string;
}

export interface FolderScan {
  readonly users: number;
  readonly files: number;
  readonly drift: readonly DriftItem[];
}

/** Every progress file against the database, and every database user against their file. */
export async function scanProgressFolder(options: ScanOptions): Promise<FolderScan> {
  const entries = existsSync(options.dir) ? await listProgressFiles(options.dir) : [];
  const userIds = await allUserIds(options.database);
  const scanner = new FolderScanner(options, userIds);
  const drift: DriftItem[] = [];
  for (const entry of entries) drift.push(...(await scanner.checkFile(entry)));
  for (const userId of userIds) drift.push(...scanner.checkUser(userId));
  return { users: userIds.length, files: entries.length, drift };
}

async function allUserIds(database: Database): Promise<string[]> {
  const rows = await database.kysely.selectFrom("onboarding_sessions").select("user_id").orderBy("user_id").execute();
  return rows.map((row) => row.user_id);
}

class FolderScanner {
  readonly #options: ScanOptions;
  readonly #store: DatabaseStore;
  readonly #users: ReadonlySet<string>;
  readonly #usersByFileName = new Map<string, string[]>();
  readonly #fileNames = new Set<string>();
  /** File name → the user id the file belongs to, where that can be told. */
  readonly #owners = new Map<string, string>();

  constructor(options: ScanOptions, userIds: readonly string[]) {
    this.#options = options;
    this.#store = new DatabaseStore(options.database, options.steps);
    this.#users = new Set(userIds);
    for (const userId of userIds) {
      const name = progressFileName(userId);
      this.#usersByFileName.set(name, [...(this.#usersByFileName.get(name) ?? []), userId]);
    }
  }

  async checkFile(entry: ProgressFileEntry): Promise<DriftItem[]> {
    this.#fileNames.add(entry.name);
    let text: string;
    try {
      text = await readFile(entry.path, "utf8");
    } catch (error) {
      return [this.#damaged(entry, `it cannot be read: ${(error as Error).message}`)];
    }
    const read = interpretProgressFile(entry, text, this.#options.steps);
    if (read.kind === "damaged") return [this.#damaged(entry, read.reason)];
    const owner = this.#ownerOf(entry, read);
    this.#owners.set(entry.name, owner);
    if (read.kind === "foreign") return [item(owner, entry, "foreign_file", null, `${read.reason}; left alone`, false)];
    if (!this.#users.has(owner)) {
      return [item(owner, entry, "missing_session", null, "no session in the database: run import-files to bring the file in", false)];
    }
    return this.#compare(owner, entry, text);
  }

  checkUser(userId: string): DriftItem[] {
    const name = progressFileName(userId);
    if (!this.#fileNames.has(name)) {
      return [item(userId, { name }, "missing_file", null, "the database has a session but no progress file", true)];
    }
    const owner = this.#owners.get(name);
    if (owner !== undefined && owner !== userId) {
      return [item(userId, { name }, "file_of_another_user", null, `the file belongs to ${JSON.stringify(owner)}; not overwritten`, false)];
    }
    return [];
  }

  async #compare(userId: string, entry: ProgressFileEntry, text: string): Promise<DriftItem[]> {
    const record = await this.#store.read(userId);
    if (record === null) return [item(userId, entry, "missing_session", null, "the session disappeared during the scan", false)];
    const expected = encodeProgressFile(record, this.#options.steps, "dual");
    const actual = JSON.parse(text) as Record<string, unknown>;
    return compareProgressFile(expected, actual).map((difference) => item(userId, entry, "different", difference.step, difference.detail, true));
  }

  /** The id the file stores; else the name's own id, or the one database user that name can belong to. */
  #ownerOf(entry: ProgressFileEntry, read: Exclude<ReadProgressFile, { kind: "damaged" }>): string {
    if (read.kind === "foreign") return read.storedUserId;
    if (read.userIdSource === "file" || this.#users.has(read.userId)) return read.userId;
    const candidates = this.#usersByFileName.get(entry.name) ?? [];
    return candidates.length === 1 ? candidates[0]! : read.userId;
  }

  #damaged(entry: ProgressFileEntry, reason: string): DriftItem {
    const candidates = this.#usersByFileName.get(entry.name) ?? [];
    const nameId = entry.nameId;
    const owner = nameId !== undefined && this.#users.has(nameId) ? nameId : candidates.length === 1 ? candidates[0] : undefined;
    if (owner === undefined) {
      return item(nameId ?? "(unknown)", entry, "damaged_file", null, `${reason}; no session owns this file name: left alone`, false);
    }
    this.#owners.set(entry.name, owner);
    return item(owner, entry, "damaged_file", null, `${reason}; --fix rewrites it from the database`, true);
  }
}

function item(
  userId: string,
  entry: Pick<ProgressFileEntry, "name">,
  kind: DriftItem["kind"],
  step: DriftItem["step"],
  detail: string,
  fixable: boolean,
): DriftItem {
  return { user_id: userId, file: entry.name, kind, step, detail, fixable };
}
