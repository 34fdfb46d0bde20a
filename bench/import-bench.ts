import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importProgressFiles } from "../src/cli/import-files/import-progress-files.js";
import { createServices } from "../src/composition/services.js";
import { loadConfig } from "../src/config/config.js";
import { createLogger } from "../src/logging/logger.js";
import { STEP_CATALOGUE, STEP_NUMBERS } from "../src/onboarding/step-catalogue.js";
import { progressFileName } from "../src/storage/progress-file-name.js";

const DEFAULT_FILES = 100_000;

/**
 * `npm run bench -- import [--files N] [--rerun]`: N legacy-like progress files (steps 1-4, a
 * plaintext key each) imported into a fresh SQLite file by the import-files code; prints files/s
 * and peak RSS. `--rerun` also times the second, all-unchanged run.
 */
export async function runImportBench(args: readonly string[]): Promise<void> {
  const count = filesArgument(args);
  const root = mkdtempSync(join(tmpdir(), "import-bench-"));
  try {
    const dir = join(root, "progress");
    const generated = timed(() => generateFiles(dir, count));
    console.log(`generated ${count} progress files in ${seconds(generated.ms)}`);
    const config = loadConfig({
      DATABASE_URL: `sqlite:${join(root, "bench.db")}`,
      STORAGE_MODE: "database",
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    });
    const services = await createServices(config, createLogger("silent"));
    try {
      const options = { database: services.database, steps: services.steps, cipher: services.cipher, dir };
      await report("first import", count, () => importProgressFiles(options), "imported");
      if (args.includes("--rerun")) await report("re-run", count, () => importProgressFiles(options), "unchanged");
    } finally {
      await services.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function report(
  label: string,
  count: number,
  run: () => ReturnType<typeof importProgressFiles>,
  expected: "imported" | "unchanged",
): Promise<void> {
  const started = performance.now();
  const result = await run();
  const ms = performance.now() - started;
  if (result.summary[expected] !== count) {
    throw new Error(`${label}: expected ${count} files ${expected}, got ${JSON.stringify(result.summary)}`);
  }
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
  console.log(
    `${label}: ${count} files in ${seconds(ms)} = ${Math.round(count / (ms / 1000))} files/s; ` +
      `peak RSS ${Math.round(rssMb)} MB (JS heap in use ${Math.round(heapMb)} MB)`,
  );
}

function filesArgument(args: readonly string[]): number {
  const index = args.indexOf("--files");
  if (index === -1) return DEFAULT_FILES;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--files needs a positive whole number, not ${JSON.stringify(args[index + 1])}`);
  return value;
}

function generateFiles(dir: string, count: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const userId = `user_bench${String(i).padStart(7, "0")}`;
    writeFileSync(join(dir, progressFileName(userId)), JSON.stringify(legacyFile(i), null, 2));
  }
}

/** Like the old platform's files: no user_id, naive timestamps, a plaintext key, steps 1-4 done or underway. */
function legacyFile(i: number): object {
  const day = `2025-01-${String((i % 28) + 1).padStart(2, "0")}`;
  const data: Record<number, object | null> = {
    1: { api_keys: { gemini: `AIzaSyBench${String(i).padStart(20, "0")}` } },
    2: { website: `https://site${i}.example.com`, analysis: { writing_style: { tone: i % 2 === 0 ? "friendly" : "formal" } } },
    3: { research_depth: "Standard", content_types: ["blog", "newsletter"], auto_research: true, factual_content: i % 3 === 0 },
    4: {
      corePersona: { persona_name: `Persona ${i}` },
      platformPersonas: { blog: { length: "long" } },
      qualityMetrics: { completeness: 80 },
      selectedPlatforms: ["blog"],
    },
  };
  return {
    steps: STEP_NUMBERS.map((n) => ({
      step_number: n,
      ...STEP_CATALOGUE[n],
      status: n <= 3 ? "completed" : n === 4 ? "in_progress" : "pending",
      completed_at: n <= 3 ? `${day}T12:0${n}:00.123456` : null,
      data: data[n] ?? null,
      validation_errors: [],
    })),
    current_step: 4,
    started_at: `${day}T11:59:00.000000`,
    last_updated: `${day}T12:04:00.000000`,
    is_completed: false,
    completed_at: null,
  };
}

function timed(work: () => void): { ms: number } {
  const started = performance.now();
  work();
  return { ms: performance.now() - started };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
