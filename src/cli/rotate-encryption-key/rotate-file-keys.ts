import { existsSync } from "node:fs";
import type { SecretCipher } from "../../crypto/secret-cipher.js";
import { sealedKeyFromFile, sealedKeyInFile } from "../../steps/api-keys/api-keys-persistence.js";
import { readTextOrNull, writeFileAtomically } from "../../storage/atomic-file.js";
import { progressFileText } from "../../storage/progress-files.js";
import { listProgressFiles, type ProgressFileEntry } from "../import-files/progress-file-listing.js";
import { resealKey } from "./reseal-key.js";
import type { FileRotation, KeyFailure } from "./rotation-report.js";
import type { RotationPause } from "./rotation-pause.js";

export interface FileRotationOptions {
  readonly pause: RotationPause;
  readonly onFailure: (failure: KeyFailure) => void;
}

/** A file that changes under us this many times in a row is left for the next run. */
const ATTEMPTS = 3;

/**
 * Re-seals the keys that progress files hold sealed (`encrypted_api_keys`, written in `file`
 * mode), file by file: each file is replaced atomically, and only if no one wrote it since it
 * was read. Everything else in the file stays as it was. A re-run finds the files already done
 * on the current version and leaves them alone.
 */
export async function rotateFileKeys(dir: string, cipher: SecretCipher, options: FileRotationOptions): Promise<FileRotation> {
  const counts = { dir, files: 0, files_rewritten: 0, resealed: 0, already_current: 0, failed: 0, unreadable_files: [] as string[] };
  const entries = existsSync(dir) ? await listProgressFiles(dir) : [];
  counts.files = entries.length;
  for (const entry of entries) {
    const outcome = await rotateOneFile(entry, cipher);
    if (outcome === "unreadable") {
      counts.unreadable_files.push(entry.name);
      continue;
    }
    counts.resealed += outcome.resealed;
    counts.already_current += outcome.alreadyCurrent;
    counts.failed += outcome.failures.length;
    for (const failure of outcome.failures) options.onFailure(failure);
    if (outcome.rewritten) {
      counts.files_rewritten += 1;
      options.pause(`file-${counts.files_rewritten}`);
    }
  }
  return counts;
}

interface FileOutcome {
  readonly rewritten: boolean;
  readonly resealed: number;
  readonly alreadyCurrent: number;
  readonly failures: readonly KeyFailure[];
}

async function rotateOneFile(entry: ProgressFileEntry, cipher: SecretCipher): Promise<FileOutcome | "unreadable"> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const text = await readTextOrNull(entry.path);
    if (text === null) return { rewritten: false, resealed: 0, alreadyCurrent: 0, failures: [] };
    const plan = resealFileText(entry, text, cipher);
    if (plan === "unreadable") return plan;
    if (plan.text === null) return { rewritten: false, resealed: 0, alreadyCurrent: plan.alreadyCurrent, failures: plan.failures };
    if (await writeFileAtomically(entry.path, plan.text, { onlyIfStill: text })) {
      return { rewritten: true, resealed: plan.resealed, alreadyCurrent: plan.alreadyCurrent, failures: plan.failures };
    }
  }
  const failure: KeyFailure = {
    store: "file",
    file: entry.name,
    user_id: null,
    provider: null,
    key_version: null,
    reason: `the file changed ${ATTEMPTS} times while its keys were re-sealed: run the rotation again`,
  };
  return { rewritten: false, resealed: 0, alreadyCurrent: 0, failures: [failure] };
}

interface FilePlan {
  /** The file with its keys re-sealed; null when nothing in it needs that. */
  readonly text: string | null;
  readonly resealed: number;
  readonly alreadyCurrent: number;
  readonly failures: readonly KeyFailure[];
}

/**
 * Only step 1's `encrypted_api_keys` values change. A file that cannot be parsed but mentions
 * sealed keys is reported (reconcile and import-files deal with damaged files); one that does not
 * mention them holds nothing to rotate.
 */
function resealFileText(entry: ProgressFileEntry, text: string, cipher: SecretCipher): FilePlan | "unreadable" {
  const mentionsKeys = text.includes('"encrypted_api_keys"');
  if (!mentionsKeys) return { text: null, resealed: 0, alreadyCurrent: 0, failures: [] };
  let file: { user_id?: unknown; steps?: unknown };
  try {
    file = JSON.parse(text) as typeof file;
  } catch {
    return "unreadable";
  }
  const sealed = stepOneSealedKeys(file);
  if (sealed === undefined) return { text: null, resealed: 0, alreadyCurrent: 0, failures: [] };
  const failures: KeyFailure[] = [];
  const fail = (provider: string, keyVersion: number | null, reason: string) =>
    failures.push({ store: "file", file: entry.name, user_id: typeof file.user_id === "string" ? file.user_id : null, provider, key_version: keyVersion, reason });
  if (typeof file.user_id !== "string") {
    for (const provider of Object.keys(sealed)) fail(provider, null, 'the file stores no "user_id", which its sealed keys are bound to');
    return { text: null, resealed: 0, alreadyCurrent: 0, failures };
  }
  let resealed = 0;
  let alreadyCurrent = 0;
  for (const [provider, value] of Object.entries(sealed)) {
    const key = typeof value === "string" ? sealedKeyFromFile(value) : undefined;
    if (key === undefined) {
      fail(provider, null, "the value is not a sealed key (v<version>:<last4>:<ciphertext>)");
      continue;
    }
    const result = resealKey(cipher, key, file.user_id, provider);
    if (result.outcome === "current") alreadyCurrent += 1;
    if (result.outcome === "failed") fail(provider, key.key_version, result.reason);
    if (result.outcome === "resealed") {
      sealed[provider] = sealedKeyInFile(result.key);
      resealed += 1;
    }
  }
  return { text: resealed === 0 ? null : progressFileText(file), resealed, alreadyCurrent, failures };
}

/** Step 1's `data.encrypted_api_keys`, as the very object inside `file` (so that edits land in it). */
function stepOneSealedKeys(file: { steps?: unknown }): Record<string, unknown> | undefined {
  if (!Array.isArray(file.steps)) return undefined;
  const stepOne: unknown = file.steps.find((step) => isObject(step) && step.step_number === 1);
  const data = isObject(stepOne) ? stepOne.data : undefined;
  const sealed = isObject(data) ? data.encrypted_api_keys : undefined;
  return isObject(sealed) ? sealed : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
