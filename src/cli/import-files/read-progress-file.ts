import { userIdProblem } from "../../auth/user-id.js";
import { decodeProgressFile, type DecodedProgressFile } from "../../storage/progress-file-format.js";
import { progressFileName } from "../../storage/progress-file-name.js";
import type { StepPersistence } from "../../storage/step-persistence.js";
import { ProgressFileDamaged } from "../../storage/storage-errors.js";
import type { ProgressFileEntry } from "./progress-file-listing.js";
import type { FileText } from "./read-texts-ahead.js";

export type UserIdSource = "file" | "file_name";

export type ReadProgressFile =
  | {
      readonly kind: "readable";
      readonly userId: string;
      readonly userIdSource: UserIdSource;
      readonly decoded: DecodedProgressFile;
      /** Step 1 providers whose key the file holds only masked (a rollback copy we wrote): nothing to import. */
      readonly maskedProviders: readonly string[];
    }
  | { readonly kind: "damaged"; readonly reason: string }
  | { readonly kind: "foreign"; readonly storedUserId: string; readonly reason: string };

/** What a file read by `readTextsAhead` holds: damaged when it could not even be read. */
export function readProgressFile(entry: ProgressFileEntry, read: FileText, steps: readonly StepPersistence[]): ReadProgressFile {
  if ("error" in read) return { kind: "damaged", reason: `it cannot be read: ${read.error}` };
  return interpretProgressFile(entry, read.text, steps);
}

/**
 * The user id is the file's `user_id` when it has one, else the id in its name. Step 1 keys are
 * sealed for that id while decoding, so it must be known first: a cheap peek guesses it, and the
 * rare wrong guess (a nested `user_id`) costs a second decode. A name shortened with a hash holds
 * no id: only a stored `user_id` whose name it is can claim that file.
 */
export function interpretProgressFile(entry: ProgressFileEntry, text: string, steps: readonly StepPersistence[]): ReadProgressFile {
  const guess = peekStoredUserId(text);
  const firstId = guess !== undefined && progressFileName(guess) === entry.name ? guess : entry.nameId;
  if (firstId === undefined) return unclaimedShortenedName(entry, guess);
  let decoded: DecodedProgressFile;
  try {
    decoded = decodeProgressFile(text, entry.path, firstId, steps);
    const stored = decoded.storedUserId;
    if (stored !== undefined && stored !== firstId) {
      if (progressFileName(stored) !== entry.name) return foreign(entry, stored);
      decoded = decodeProgressFile(text, entry.path, stored, steps);
    }
  } catch (error) {
    if (error instanceof ProgressFileDamaged) return { kind: "damaged", reason: error.reason };
    return { kind: "damaged", reason: error instanceof Error ? error.message : String(error) };
  }
  const problem = userIdProblem(decoded.record.userId);
  if (problem !== undefined) return { kind: "damaged", reason: `its user id ${problem}` };
  return {
    kind: "readable",
    userId: decoded.record.userId,
    userIdSource: decoded.storedUserId === undefined ? "file_name" : "file",
    decoded,
    maskedProviders: maskedOnlyProviders(text, decoded.parsed),
  };
}

/** A shortened name whose file stores another id (foreign) or none that can be read (damaged). */
function unclaimedShortenedName(entry: ProgressFileEntry, storedUserId: string | undefined): ReadProgressFile {
  return storedUserId === undefined
    ? { kind: "damaged", reason: "its name is shortened with a hash of the user id, and it stores no user_id to tell whose it is" }
    : foreign(entry, storedUserId);
}

function foreign(entry: ProgressFileEntry, storedUserId: string): ReadProgressFile {
  return {
    kind: "foreign",
    storedUserId,
    reason: `it stores user_id ${JSON.stringify(storedUserId)}, whose file is ${progressFileName(storedUserId)}, not ${entry.name}`,
  };
}

const STORED_USER_ID = /"user_id"\s*:\s*("(?:[^"\\]|\\.)*")/;

function peekStoredUserId(text: string): string | undefined {
  const literal = STORED_USER_ID.exec(text)?.[1];
  if (literal === undefined) return undefined;
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
}

/** What `maskSecret` writes: stars, then at most the last 4 characters. */
const MASKED_KEY = /^\*+[\x21-\x7E]{0,4}$/;

function maskedOnlyProviders(text: string, parsed: Readonly<Record<string, unknown>>): string[] {
  // Plaintext legacy files, the bulk of an import, hold no mask: skip the search for them.
  if (!text.includes('"*')) return [];
  const steps = Array.isArray(parsed.steps) ? (parsed.steps as unknown[]) : undefined;
  const stepOne = steps?.find(
    (step): step is { data?: { api_keys?: unknown; encrypted_api_keys?: unknown } } =>
      typeof step === "object" && step !== null && (step as { step_number?: unknown }).step_number === 1,
  );
  const keys = asRecord(stepOne?.data?.api_keys);
  const sealed = asRecord(stepOne?.data?.encrypted_api_keys);
  return Object.entries(keys)
    .filter(([provider, value]) => typeof value === "string" && MASKED_KEY.test(value) && sealed[provider] === undefined)
    .map(([provider]) => provider);
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
