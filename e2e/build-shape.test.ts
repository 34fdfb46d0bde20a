import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript (it runs before anything is compiled), no types.
import { buildStale, shapeMismatch } from "../scripts/build.mjs";

const PROJECT = fileURLToPath(new URL("..", import.meta.url));

interface Target {
  readonly name: string;
  readonly stamp: string;
  readonly shape: string;
  readonly sources: () => string[];
  readonly tool: string;
  readonly args: string[];
}

/**
 * `npm start` never serves a page built for another API host as the same-origin page
 * (scripts/build.mjs, SPEC §10): a build target whose recorded VITE_API_BASE_URL differs from the
 * environment's is stale, whatever its file times; without the tool to rebuild it, start refuses.
 * On a target in a temp dir, so the project's own dist/ is never rebuilt under other tests.
 */
describe("the page build's recorded variables", () => {
  let dir: string;
  let target: Target;
  const saved = process.env.VITE_API_BASE_URL;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "build-shape-"));
    const inProject = (file: string) => relative(PROJECT, join(dir, file));
    writeFileSync(join(dir, "source.ts"), "");
    writeFileSync(join(dir, "stamp"), "");
    target = { name: "web page", stamp: inProject("stamp"), shape: inProject("shape.json"), sources: () => [inProject("source.ts")], tool: "no-such-tool", args: [] };
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.VITE_API_BASE_URL;
    else process.env.VITE_API_BASE_URL = saved;
  });

  const record = (value: string | null) => writeFileSync(join(dir, "shape.json"), JSON.stringify({ VITE_API_BASE_URL: value }));

  it("matches when the environment has what the build was made with", () => {
    record(null);
    delete process.env.VITE_API_BASE_URL;
    expect(shapeMismatch(target)).toBeNull();
    record("https://api.example.com");
    process.env.VITE_API_BASE_URL = " https://api.example.com ";
    expect(shapeMismatch(target)).toBeNull();
  });

  it("names the difference when the page was built for another host, or for none", () => {
    record("https://api.example.com");
    delete process.env.VITE_API_BASE_URL;
    expect(shapeMismatch(target)).toBe("built with VITE_API_BASE_URL=https://api.example.com, now VITE_API_BASE_URL=(unset)");
    record(null);
    process.env.VITE_API_BASE_URL = "https://api.example.com";
    expect(shapeMismatch(target)).toBe("built with VITE_API_BASE_URL=(unset), now VITE_API_BASE_URL=https://api.example.com");
  });

  it("treats a build without a record as made for something else", () => {
    expect(shapeMismatch(target)).toMatch(/shape\.json is missing/);
  });

  it("refuses to start without the tool to rebuild, instead of serving the other build", () => {
    record("https://api.example.com");
    delete process.env.VITE_API_BASE_URL;
    const lines: string[] = [];
    expect(() => buildStale(["web page"], (line: string) => lines.push(line), [target])).toThrow(
      /was built with VITE_API_BASE_URL=https:\/\/api\.example\.com, now VITE_API_BASE_URL=\(unset\) and no-such-tool is not installed/,
    );
    // A build merely older than its sources, by contrast, is served with a warning when the tool is missing.
    record(null);
    utimesSync(join(dir, "stamp"), new Date(2020, 0, 1), new Date(2020, 0, 1));
    buildStale(["web page"], (line: string) => lines.push(line), [target]);
    expect(lines).toEqual([expect.stringMatching(/^warning: the web page build is older than its sources \(.*source\.ts changed\)/)]);
  });
});
