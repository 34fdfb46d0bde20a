import { describe, expect, it } from "vitest";
import { sampleStepData } from "../../test-support/sample-steps.js";
import { ANALYSIS_STATUSES, websiteStepSchema } from "./website-analysis-schema.js";
import { failingPaths as failingPathsOf } from "../../test-support/failing-paths.js";
import { ANALYSIS_FIELDS } from "../../onboarding/analysis-fields.js";

const failingPaths = (payload: unknown): string[] => failingPathsOf(websiteStepSchema, payload);

describe("step 2 schema: accepted payloads", () => {
  it.each([
    { label: "a website alone", payload: { website: "https://example.com" } },
    { label: "an http website with a path and query", payload: { website: "http://example.com/blog?page=2#top" } },
    { label: "an upper-case scheme", payload: { website: "HTTPS://EXAMPLE.COM" } },
    { label: "an internationalised domain", payload: { website: "https://bücher.example/" } },
    { label: "a URL of 2048 characters", payload: { website: `https://example.com/${"a".repeat(2048 - 20)}` } },
    { label: "the nine analysis fields and what the engine adds", payload: sampleStepData(2, "accepted") },
    { label: "an empty analysis", payload: { website: "https://example.com", analysis: {} } },
    {
      label: "a failed analysis with its message",
      payload: { website: "https://example.com", analysis: { status: "failed", error_message: "the page answered 404" } },
    },
  ])("accepts $label", ({ payload }) => {
    expect(failingPaths(payload)).toEqual([]);
  });

  it.each(ANALYSIS_STATUSES.map((status) => ({ status })))("accepts the analysis status $status of SPEC §6", ({ status }) => {
    expect(failingPaths({ website: "https://example.com", analysis: { status } })).toEqual([]);
  });

  it("knows the nine analysis fields of SPEC §4", () => {
    expect(ANALYSIS_FIELDS).toEqual([
      "writing_style",
      "content_characteristics",
      "target_audience",
      "content_type",
      "recommended_settings",
      "brand_analysis",
      "content_strategy_insights",
      "style_patterns",
      "style_guidelines",
    ]);
  });
});

describe("step 2 schema: refused payloads name the failing field", () => {
  it.each([
    { label: "no website", payload: {}, path: "website" },
    { label: "a website that is not a URL", payload: { website: "example.com" }, path: "website" },
    { label: "an ftp URL", payload: { website: "ftp://example.com/" }, path: "website" },
    { label: "a javascript: URL", payload: { website: "javascript:alert(1)" }, path: "website" },
    { label: "a file: URL", payload: { website: "file:///etc/passwd" }, path: "website" },
    { label: "a URL without a host", payload: { website: "https://" }, path: "website" },
    { label: "a URL with a space in the host", payload: { website: "https://exa mple.com" }, path: "website" },
    { label: "a URL with a newline the parser would drop", payload: { website: "https://exa\nmple.com" }, path: "website" },
    { label: "a URL with a tab the parser would drop", payload: { website: "https://example.com/\tpath" }, path: "website" },
    { label: "a URL with a leading space the parser would drop", payload: { website: " https://example.com" }, path: "website" },
    { label: "a URL with a trailing space the parser would drop", payload: { website: "https://example.com/ " }, path: "website" },
    { label: "a URL with a zero-width space in the host", payload: { website: "https://exa\u200bmple.com" }, path: "website" },
    { label: "a URL with a right-to-left override", payload: { website: "https://example.com/\u202egnp.exe" }, path: "website" },
    { label: "a URL starting with a byte order mark", payload: { website: "\ufeffhttps://example.com" }, path: "website" },
    { label: "a URL with NUL", payload: { website: "https://example.com/\u0000" }, path: "website" },
    { label: "a URL with an unpaired surrogate", payload: { website: "https://example.com/\uD800" }, path: "website" },
    { label: "a URL of 2049 characters", payload: { website: `https://example.com/${"a".repeat(2049 - 20)}` }, path: "website" },
    { label: "a website that is a number", payload: { website: 42 }, path: "website" },
    { label: "an analysis field that is a string", payload: { website: "https://example.com", analysis: { writing_style: "friendly" } }, path: "analysis.writing_style" },
    { label: "an analysis field that is a list", payload: { website: "https://example.com", analysis: { style_guidelines: ["short"] } }, path: "analysis.style_guidelines" },
    { label: "an analysis field that is null", payload: { website: "https://example.com", analysis: { target_audience: null } }, path: "analysis.target_audience" },
    { label: "an analysis status not of SPEC §6", payload: { website: "https://example.com", analysis: { status: "done" } }, path: "analysis.status" },
    { label: "an analysis status longer than its column", payload: { website: "https://example.com", analysis: { status: "s".repeat(51) } }, path: "analysis.status" },
    { label: "an analysis status that is a number", payload: { website: "https://example.com", analysis: { status: 200 } }, path: "analysis.status" },
    { label: "an analysis that is a list", payload: { website: "https://example.com", analysis: [] }, path: "analysis" },
    { label: "the old name website_url", payload: { website: "https://example.com", website_url: "https://example.com" }, path: "website_url" },
  ])("refuses $label at $path", ({ payload, path }) => {
    expect(failingPaths(payload)).toEqual([path]);
  });

  it("says why a website was refused", () => {
    const messages = (website: string) => websiteStepSchema.safeParse({ website }).error?.issues.map((issue) => issue.message);

    expect(messages("ftp://example.com")).toEqual(["website must be an http(s) URL"]);
    expect(messages("https://exa\nmple.com")).toEqual([
      "a website URL has no surrounding spaces, control or invisible formatting characters, NUL or unpaired surrogates",
    ]);
    expect(websiteStepSchema.safeParse({ website: "https://example.com", analysis: { status: "done" } }).error?.issues.map((issue) => issue.message)).toEqual([
      "status must be one of completed, failed, in_progress",
    ]);
  });
});
