import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readTextsAhead, type FileText } from "./read-texts-ahead.js";

describe("readTextsAhead", () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "read-ahead-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const collect = async (batches: string[][], ahead?: number) => {
    const seen: FileText[][] = [];
    for await (const texts of readTextsAhead(batches, { ahead })) seen.push(texts);
    return seen;
  };

  it("gives every batch back in order, more batches than it reads ahead", async () => {
    const paths = Array.from({ length: 7 }, (_, i) => join(dir, `file-${i}.json`));
    paths.forEach((path, i) => writeFileSync(path, `{"n": ${i}}`));
    const batches = [paths.slice(0, 3), paths.slice(3, 5), paths.slice(5, 6), paths.slice(6)];
    const seen = await collect(batches, 2);
    expect(seen).toEqual(batches.map((batch) => batch.map((path) => ({ text: `{"n": ${paths.indexOf(path)}}` }))));
  });

  it("says why a path could not be read and goes on with the others", async () => {
    mkdirSync(join(dir, "a-folder.json"));
    writeFileSync(join(dir, "fine.json"), "{}");
    const [texts] = await collect([[join(dir, "a-folder.json"), join(dir, "missing.json"), join(dir, "fine.json")]]);
    expect(texts?.[0]).toEqual({ error: expect.stringMatching(/EISDIR/) });
    expect(texts?.[1]).toEqual({ error: expect.stringMatching(/ENOENT/) });
    expect(texts?.[2]).toEqual({ text: "{}" });
  });

  it("gives each file's size and SHA-256 of its bytes when asked", async () => {
    const bytes = Buffer.from([0x7b, 0xc3, 0xa9, 0xff, 0x7d]);
    writeFileSync(join(dir, "bytes.json"), bytes);
    const [texts] = await collectDigests([[join(dir, "bytes.json")]]);
    expect(texts?.[0]).toMatchObject({ size: 5, sha256: createHash("sha256").update(bytes).digest("hex") });
  });

  const collectDigests = async (batches: string[][]) => {
    const seen: FileText[][] = [];
    for await (const texts of readTextsAhead(batches, { digest: true })) seen.push(texts);
    return seen;
  };

  it("reads names in the folder it is given, so that a caller need keep no path per file", async () => {
    writeFileSync(join(dir, "named.json"), "{}");
    const seen: FileText[][] = [];
    for await (const texts of readTextsAhead([["named.json", "absent.json"]], { dir })) seen.push(texts);
    expect(seen).toEqual([[{ text: "{}" }, { error: expect.stringMatching(/ENOENT/) }]]);
  });

  it("yields nothing for no batches, and stops its thread when the caller stops early", async () => {
    expect(await collect([])).toEqual([]);
    writeFileSync(join(dir, "one.json"), "1");
    for await (const texts of readTextsAhead([[join(dir, "one.json")], [join(dir, "one.json")]])) {
      expect(texts).toEqual([{ text: "1" }]);
      break;
    }
  });
});
