import { createHash } from "node:crypto";
import { list } from "tar";
import { MANIFEST_ENTRY, parseManifest, type ArchiveManifest, type ManifestFile } from "./archive-manifest.js";

export type ArchiveCheck = { readonly ok: true; readonly manifest: ArchiveManifest } | { readonly ok: false; readonly problem: string };

/** Called with each file whose bytes match the manifest, in archive order. */
export type OnArchivedFile = (file: ManifestFile, bytes: Uint8Array, mtime: Date | undefined) => Promise<void> | void;

/**
 * Reads an archive of retire-files from end to end and checks it against its own manifest: the
 * manifest first, then every file it names exactly once, each with its size and SHA-256, and
 * nothing else. Any difference (or a damaged gzip or tar stream) is a problem, never a throw.
 */
export async function checkArchive(path: string, onFile?: OnArchivedFile): Promise<ArchiveCheck> {
  let manifest: ArchiveManifest | undefined;
  let byName = new Map<string, ManifestFile>();
  const seen = new Set<string>();
  let problem: string | undefined;
  try {
    await list({
      file: path,
      strict: true,
      onEntry: async (entry) => {
        if (problem !== undefined) return;
        if (manifest === undefined) {
          if (entry.path !== MANIFEST_ENTRY || entry.type !== "File") return void (problem = `its first entry is ${JSON.stringify(entry.path)}, not the manifest`);
          const parsed = parseManifest(await entry.text());
          if (typeof parsed === "string") return void (problem = parsed);
          manifest = parsed;
          byName = new Map(parsed.files.map((file) => [file.file, file]));
          if (byName.size !== parsed.files.length) problem = "its manifest names a file twice";
          return;
        }
        const expected = byName.get(entry.path);
        if (expected === undefined || entry.type !== "File") return void (problem = `it holds ${JSON.stringify(entry.path)}, which its manifest does not name`);
        if (seen.has(entry.path)) return void (problem = `it holds ${entry.path} twice`);
        seen.add(entry.path);
        const bytes = await entry.bytes();
        const sha256 = createHash("sha256").update(bytes).digest("hex");
        if (bytes.length !== expected.size || sha256 !== expected.sha256) {
          return void (problem = `${entry.path} in it is not the file its manifest describes (${bytes.length} bytes, SHA-256 ${sha256.slice(0, 12)}…)`);
        }
        await onFile?.(expected, bytes, entry.mtime);
      },
    });
  } catch (error) {
    return { ok: false, problem: `it cannot be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (problem !== undefined) return { ok: false, problem };
  if (manifest === undefined) return { ok: false, problem: "it holds no manifest" };
  const missing = manifest.files.find((file) => !seen.has(file.file));
  if (missing !== undefined) return { ok: false, problem: `${missing.file}, named in its manifest, is not in it` };
  return { ok: true, manifest };
}
