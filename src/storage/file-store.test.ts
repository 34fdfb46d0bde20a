import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stepPersistences } from "../composition/step-registry.js";
import { apiKeyContext } from "../crypto/secret-cipher.js";
import { completeStep, saveStepData } from "../onboarding/step-transitions.js";
import { sampleStepData, sealedKeys, testCipher } from "../test-support/sample-steps.js";
import { FileStore } from "./file-store.js";
import { encodeProgressFile } from "./progress-file-format.js";
import { progressFileName, progressFilePath, sanitizeUserId } from "./progress-file-name.js";
import { ProgressFiles } from "./progress-files.js";
import { FileCollision, ProgressFileDamaged } from "./storage-errors.js";

const LEGACY_EXAMPLE = readFileSync(new URL("./fixtures/legacy-progress-example.json", import.meta.url), "utf8");

describe("file store (legacy progress files)", () => {
  const cipher = testCipher();
  const steps = stepPersistences(cipher);
  let dir: string;
  let store: FileStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "progress-"));
    store = new FileStore(new ProgressFiles(dir, steps, "file"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("names files as the old platform did", () => {
    expect(sanitizeUserId("user_2abc123xyz")).toBe("user_2abc123xyz");
    expect(progressFileName("a.b@c/d")).toBe(".onboarding_progress_a_b_c_d.json");
    expect(progressFileName("42")).toBe(".onboarding_progress_42.json");
  });

  it("round-trips the legacy example field by field, sealing its plaintext key", async () => {
    const user = "user_legacy";
    writeFileSync(progressFilePath(dir, user), LEGACY_EXAMPLE);
    const record = await store.read(user);
    const written = encodeProgressFile(record!, steps, "file");
    const original = JSON.parse(LEGACY_EXAMPLE);
    for (const key of Object.keys(original)) if (key !== "steps") expect(written[key as keyof typeof written], key).toEqual(original[key]);
    original.steps.forEach((step: Record<string, unknown>, index: number) => {
      for (const key of Object.keys(step)) {
        if (index === 0 && key === "data") continue;
        expect(written.steps[index]?.[key as keyof (typeof written.steps)[number]], `steps[${index}].${key}`).toEqual(step[key]);
      }
    });
    const stepOne = written.steps[0]?.data as { api_keys: Record<string, string>; encrypted_api_keys: Record<string, string> };
    expect(stepOne.api_keys).toEqual({ gemini: "*".repeat("AIzaSyExampleExampleExample1234".length - 4) + "1234" });
    expect(JSON.stringify(written)).not.toContain("AIzaSyExampleExampleExample1234");
    const [, version, , ciphertext] = /^v(\d+):(.{0,4}):(.+)$/.exec(stepOne.encrypted_api_keys.gemini!)!;
    expect(cipher.open({ ciphertext: ciphertext!, keyVersion: Number(version) }, apiKeyContext(user, "gemini"))).toBe(
      "AIzaSyExampleExampleExample1234",
    );
  });

  it("adds user_id on the first write and keeps the old platform's keys", async () => {
    const user = "user_2abc123xyz";
    await store.update(user, (r, now) => completeStep(r, 1, sealedKeys(cipher, user, { openai: "sk-file-mode-0042" }), () => [], now));
    await store.update(user, (r, now) => saveStepData(r, 2, sampleStepData(2, "f"), now));
    const text = readFileSync(progressFilePath(dir, user), "utf8");
    const file = JSON.parse(text);
    expect(Object.keys(file)).toEqual(
      expect.arrayContaining(["steps", "current_step", "started_at", "last_updated", "is_completed", "completed_at", "user_id"]),
    );
    expect(file.user_id).toBe(user);
    expect(file.current_step).toBe(2);
    expect(file.started_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
    expect(file.steps.map((s: { title: string }) => s.title)).toEqual([
      "AI LLM Providers",
      "Website Analysis",
      "AI Research",
      "Personalization",
      "Integrations",
      "Complete Setup",
    ]);
    expect(text).not.toContain("sk-file-mode-0042");
    expect(text.startsWith('{\n  "steps": [\n')).toBe(true);
    expect((await store.read(user))?.steps[1]?.data).toEqual(sampleStepData(2, "f"));
  });

  it("refuses a file whose stored user id differs from the caller's", async () => {
    await store.update("user.a", (r, now) => saveStepData(r, 1, sealedKeys(cipher, "user.a", { openai: "sk-owner-a-0001" }), now));
    await expect(store.read("user_a")).rejects.toBeInstanceOf(FileCollision);
    await expect(store.update("user_a", (r) => r)).rejects.toBeInstanceOf(FileCollision);
    await expect(store.erase("user_a")).rejects.toBeInstanceOf(FileCollision);
    expect((await store.read("user.a"))?.userId).toBe("user.a");
  });

  it("names the file and the reason for a damaged file", async () => {
    writeFileSync(progressFilePath(dir, "user_truncated"), LEGACY_EXAMPLE.slice(0, 300));
    const error = await store.read("user_truncated").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProgressFileDamaged);
    expect((error as ProgressFileDamaged).message).toContain(".onboarding_progress_user_truncated.json");
    expect((error as ProgressFileDamaged).reason).toMatch(/not valid JSON/);
  });

  it("repairs what is unambiguous and says so", async () => {
    const file = JSON.parse(LEGACY_EXAMPLE);
    file.steps = file.steps.slice(0, 4);
    file.is_completed = true;
    file.current_step = 9;
    writeFileSync(progressFilePath(dir, "user_repair"), JSON.stringify(file));
    const decoded = await new ProgressFiles(dir, steps, "file").read("user_repair");
    expect(decoded?.record.steps).toHaveLength(6);
    expect(decoded?.record.completedAt).toBeNull();
    expect(decoded?.repairs.join("\n")).toMatch(/step 5 was missing/);
    expect(decoded?.repairs.join("\n")).toMatch(/is_completed was true/);
    expect(decoded?.repairs.join("\n")).toMatch(/current_step 9/);
  });

  it("serialises concurrent changes of one user so none is lost", async () => {
    const user = "user_parallel_file";
    await store.update(user, (r, now) => completeStep(r, 1, sealedKeys(cipher, user, { openai: "sk-parallel-0001" }), () => [], now));
    await Promise.all([
      store.update(user, (r, now) => completeStep(r, 2, sampleStepData(2, "p"), () => [], now)),
      store.update(user, (r, now) => saveStepData(r, 1, { ...r.steps[0]!.data! }, now)),
    ]);
    const record = await store.read(user);
    expect(record?.steps[1]?.data).toEqual(sampleStepData(2, "p"));
    expect(record?.steps[0]?.status).toBe("completed");
  });
});
