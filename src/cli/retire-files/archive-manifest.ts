import { z } from "zod";
import { PROGRESS_FILE_PATTERN } from "../../storage/progress-file-name.js";

/** The first entry of every archive retire-files writes; no progress file can have this name. */
export const MANIFEST_ENTRY = "retired-progress-files.manifest.json";

const SHA256_HEX = /^[0-9a-f]{64}$/;

const manifestFileSchema = z.object({
  /** Only a progress file's own name: restore writes nothing outside the folder it is given. */
  file: z.string().regex(PROGRESS_FILE_PATTERN, "is not a progress file's name"),
  user_id: z.string().min(1),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(SHA256_HEX, "is not a SHA-256 in hex"),
});

export const archiveManifestSchema = z.object({
  format: z.literal("onboarding-service retired progress files"),
  version: z.literal(1),
  created_at: z.string(),
  /** The folder the files were taken from. */
  dir: z.string(),
  files: z.array(manifestFileSchema),
});

export type ArchiveManifest = z.infer<typeof archiveManifestSchema>;
export type ManifestFile = z.infer<typeof manifestFileSchema>;

export function newManifest(dir: string, files: readonly ManifestFile[], now: Date): ArchiveManifest {
  return { format: "onboarding-service retired progress files", version: 1, created_at: now.toISOString(), dir, files: [...files] };
}

/** The manifest's text in the archive, or why it is not one. */
export function parseManifest(text: string): ArchiveManifest | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "its manifest is not JSON";
  }
  const parsed = archiveManifestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `its manifest is not valid: ${issue?.path.join(".") ?? ""} ${issue?.message ?? ""}`.trim();
  }
  return parsed.data;
}

/**
 * Whether two manifests say the same, field by field: what the read-back check compares. Not
 * their JSON texts: for 100,000 files those are two strings of tens of megabytes at once.
 */
export function sameManifest(a: ArchiveManifest, b: ArchiveManifest): boolean {
  if (a.format !== b.format || a.version !== b.version || a.created_at !== b.created_at || a.dir !== b.dir || a.files.length !== b.files.length) return false;
  return a.files.every((file, i) => {
    const other = b.files[i]!;
    return file.file === other.file && file.user_id === other.user_id && file.size === other.size && file.sha256 === other.sha256;
  });
}
