import { existsSync } from "node:fs";
import { inChunks } from "../../db/bulk-rows.js";
import type { Database } from "../../db/database.js";
import type { OnboardingRecord } from "../../onboarding/onboarding-record.js";
import { DatabaseStore } from "../../storage/database-store.js";
import { encodeProgressFile } from "../../storage/progress-file-format.js";
import { progressFileName } from "../../storage/progress-file-name.js";
import type { StepPersistence } from "../../storage/step-persistence.js";
import { listProgressFileNames, progressFileEntry, type ProgressFileEntry } from "../import-files/progress-file-listing.js";
import { interpretProgressFile, type ReadProgressFile } from "../import-files/read-progress-file.js";
import { readTextsAhead, type FileText } from "../import-files/read-texts-ahead.js";
import { compareProgressFile } from "./compare-progress-file.js";
import type { DriftItem } from "./reconcile-report.js";

/**
 * Files read and compared together by default. Smaller than import-files' 500: a batch's parsed
 * files and database records stay alive across its database read, and V8 grows the young
 * generation by what survives its collections. At 500 it grew to its 128 MB ceiling; at 50 it
 * stays near half that (peak RSS of a 20,000-file scan 376 MB → 212 MB) at the same files/s.
 */
export const SCAN_BATCH_SIZE = 50;

export interface ScanOptions {
  readonly database: Database;
  readonly steps: readonly StepPersistence[];
  readonly dir: string;
  /** Files read and compared together: one database read per batch. */
  readonly batchSize?: number;
  /** Record each file's size and SHA-256 (what retire-files' manifest holds), from the same read. */
  readonly digest?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

/** One progress file as a scan with `digest` saw it. */
export interface ScannedFile {
  readonly name: string;
  /** Whose file it is, where that can be told. */
  readonly owner: string | undefined;
  /** With `digest`, for a file that could be read. */
  readonly size?: number;
  readonly sha256?: string;
  readonly mtimeMs?: number;
}

export interface FolderScan {
  readonly users: number;
  readonly files: number;
  readonly drift: readonly DriftItem[];
  /** Every file, with `digest` only (what retire-files archives); without, nothing is kept per file. */
  readonly scanned: readonly ScannedFile[];
}

/**
 * Every progress file against the database, and every database user against their file. The
 * files are read as import-files reads them (a thread reading batches ahead, one database read
 * per batch): reconcile, migration-status and retire-files all scan through here.
 */
export async function scanProgressFolder(options: ScanOptions): Promise<FolderScan> {
  const names = existsSync(options.dir) ? await listProgressFileNames(options.dir) : [];
  const userIds = await allUserIds(options.database);
  const scanner = new FolderScanner(options, userIds);
  const drift: DriftItem[] = [];
  const scanned: ScannedFile[] = [];
  const batches = inChunks(names, options.batchSize ?? SCAN_BATCH_SIZE);
  let index = 0;
  let done = 0;
  for await (const texts of readTextsAhead(batches, { dir: options.dir, digest: options.digest === true })) {
    const batch = batches[index++]!.map((name) => progressFileEntry(options.dir, name));
    const results = await scanner.checkBatch(batch, texts);
    results.forEach((result, i) => {
      drift.push(...result.drift);
      const text = texts[i]!;
      if ("sha256" in text) scanned.push({ name: batch[i]!.name, owner: result.owner, size: text.size, sha256: text.sha256, mtimeMs: text.mtimeMs });
    });
    done += batch.length;
    options.onProgress?.(done, names.length);
  }
  for (const userId of userIds) drift.push(...scanner.checkUser(userId));
  return { users: userIds.length, files: names.length, drift, scanned };
}

async function allUserIds(database: Database): Promise<string[]> {
  const rows = await database.kysely.selectFrom("onboarding_sessions").select("user_id").orderBy("user_id").execute();
  return rows.map((row) => row.user_id);
}

interface FileCheck {
  readonly owner: string | undefined;
  readonly drift: readonly DriftItem[];
}

type Readable = Exclude<ReadProgressFile, { kind: "damaged" }>;

class FolderScanner {
  readonly #options: ScanOptions;
  readonly #store: DatabaseStore;
  readonly #users: ReadonlySet<string>;
  /** File name → the database user(s) whose id leads to it: one id, an array only when several share it. */
  readonly #usersByFileName = new Map<string, string | string[]>();
  readonly #fileNames = new Set<string>();
  /**
   * File name → the user id the file belongs to, where that can be told and it is not simply the
   * one database user that name leads to (what checkUser needs to tell; one entry a file otherwise).
   */
  readonly #owners = new Map<string, string>();

  constructor(options: ScanOptions, userIds: readonly string[]) {
    this.#options = options;
    this.#store = new DatabaseStore(options.database, options.steps);
    this.#users = new Set(userIds);
    for (const userId of userIds) {
      const name = progressFileName(userId);
      const before = this.#usersByFileName.get(name);
      this.#usersByFileName.set(name, before === undefined ? userId : [...this.#sharing(name), userId]);
    }
  }

  /** A batch of files: decoded first, then the records of their owners read in one go. */
  async checkBatch(entries: readonly ProgressFileEntry[], texts: readonly FileText[]): Promise<FileCheck[]> {
    const read = entries.map((entry, i) => {
      this.#fileNames.add(entry.name);
      const text = texts[i]!;
      return "error" in text ? ({ kind: "damaged", reason: `it cannot be read: ${text.error}` } as const) : interpretProgressFile(entry, text.text, this.#options.steps);
    });
    const owners = read.map((file, i) => (file.kind === "damaged" ? undefined : this.#ownerOf(entries[i]!, file)));
    const records = await this.#store.readMany([...new Set(owners.filter((owner) => owner !== undefined && this.#users.has(owner)))] as string[]);
    return entries.map((entry, i) => {
      const file = read[i]!;
      if (file.kind === "damaged") return this.#damaged(entry, file.reason);
      const owner = owners[i]!;
      const drift = this.#checkReadable(entry, file, owner, records.get(owner));
      // A file that several users' names lead to, and that says not whose it is, belongs to none of them.
      if (drift.some((difference) => difference.kind === "ambiguous_file")) return { owner: undefined, drift };
      this.#noteOwner(entry.name, owner);
      return { owner, drift };
    });
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

  #checkReadable(entry: ProgressFileEntry, file: Readable, owner: string, record: OnboardingRecord | undefined): DriftItem[] {
    if (file.kind === "foreign") return [item(owner, entry, "foreign_file", null, `${file.reason}; left alone`, false)];
    const sharing = this.#sharing(entry.name);
    if (!this.#users.has(owner) && file.userIdSource === "file_name" && sharing.length > 1) {
      const names = sharing.map((id) => JSON.stringify(id)).join(", ");
      return [item(owner, entry, "ambiguous_file", null, `it stores no user_id, and its name is that of ${sharing.length} users in the database (${names}); left alone`, false)];
    }
    if (!this.#users.has(owner)) {
      return [item(owner, entry, "missing_session", null, "no session in the database: run import-files to bring the file in", false)];
    }
    if (record === undefined) return [item(owner, entry, "missing_session", null, "the session disappeared during the scan", false)];
    const expected = encodeProgressFile(record, this.#options.steps, "dual");
    return compareProgressFile(expected, file.decoded.parsed).map((difference) => item(owner, entry, "different", difference.step, difference.detail, true));
  }

  /** The id the file stores; else the name's own id, or the one database user that name can belong to. */
  #ownerOf(entry: ProgressFileEntry, read: Readable): string {
    if (read.kind === "foreign") return read.storedUserId;
    if (read.userIdSource === "file" || this.#users.has(read.userId)) return read.userId;
    const candidates = this.#sharing(entry.name);
    return candidates.length === 1 ? candidates[0]! : read.userId;
  }

  #sharing(name: string): readonly string[] {
    const users = this.#usersByFileName.get(name);
    return users === undefined ? [] : typeof users === "string" ? [users] : users;
  }

  #noteOwner(name: string, owner: string): void {
    const users = this.#usersByFileName.get(name);
    if (users !== owner) this.#owners.set(name, owner);
  }

  #damaged(entry: ProgressFileEntry, reason: string): FileCheck {
    const candidates = this.#sharing(entry.name);
    const nameId = entry.nameId;
    const owner = nameId !== undefined && this.#users.has(nameId) ? nameId : candidates.length === 1 ? candidates[0] : undefined;
    if (owner === undefined) {
      return { owner: undefined, drift: [item(nameId ?? "(unknown)", entry, "damaged_file", null, `${reason}; no session owns this file name: left alone`, false)] };
    }
    this.#noteOwner(entry.name, owner);
    return { owner, drift: [item(owner, entry, "damaged_file", null, `${reason}; --fix rewrites it from the database`, true)] };
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
