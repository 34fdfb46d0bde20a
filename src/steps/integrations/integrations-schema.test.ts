import { describe, expect, it } from "vitest";
import { sampleStepData } from "../../test-support/sample-steps.js";
import { integrationsStepSchema } from "./integrations-schema.js";
import { failingPaths as failingPathsOf } from "../../test-support/failing-paths.js";

const VALID = { website_platforms: ["wordpress"], analytics_platforms: ["google_analytics"], social_platforms: ["linkedin"] };

const failingPaths = (payload: unknown): string[] => failingPathsOf(integrationsStepSchema, payload);

const names = (count: number) => Array.from({ length: count }, (_, i) => `platform-${i}`);

describe("step 5 schema: accepted payloads", () => {
  it.each([
    { label: "every field", payload: sampleStepData(5, "accepted") },
    { label: "no primary website", payload: VALID },
    { label: "three empty lists (nothing to integrate)", payload: { website_platforms: [], analytics_platforms: [], social_platforms: [] } },
    { label: "an http primary website with a path", payload: { ...VALID, primary_website: "http://example.com/shop" } },
    { label: "20 platforms in a list", payload: { ...VALID, social_platforms: names(20) } },
    { label: "a platform name of 64 characters", payload: { ...VALID, website_platforms: ["w".repeat(64)] } },
  ])("accepts $label", ({ payload }) => {
    expect(failingPaths(payload)).toEqual([]);
  });

  it("trims the spaces around a platform name", () => {
    expect(integrationsStepSchema.parse({ ...VALID, social_platforms: [" linkedin "] }).social_platforms).toEqual(["linkedin"]);
  });
});

describe("step 5 schema: refused payloads name the failing field", () => {
  it.each([
    { label: "a primary website that is not a URL", payload: { ...VALID, primary_website: "example.com" }, path: "primary_website" },
    { label: "a mailto: primary website", payload: { ...VALID, primary_website: "mailto:me@example.com" }, path: "primary_website" },
    { label: "a primary website with a control character", payload: { ...VALID, primary_website: "https://exa\rmple.com" }, path: "primary_website" },
    { label: "a primary website with a trailing space", payload: { ...VALID, primary_website: "https://example.com " }, path: "primary_website" },
    { label: "a null primary website", payload: { ...VALID, primary_website: null }, path: "primary_website" },
    { label: "an empty primary website", payload: { ...VALID, primary_website: "" }, path: "primary_website" },
    { label: "no website_platforms", payload: { analytics_platforms: [], social_platforms: [] }, path: "website_platforms" },
    { label: "no analytics_platforms", payload: { website_platforms: [], social_platforms: [] }, path: "analytics_platforms" },
    { label: "no social_platforms", payload: { website_platforms: [], analytics_platforms: [] }, path: "social_platforms" },
    { label: "21 social platforms", payload: { ...VALID, social_platforms: names(21) }, path: "social_platforms" },
    { label: "a list given as one string", payload: { ...VALID, analytics_platforms: "google_analytics" }, path: "analytics_platforms" },
    { label: "an empty platform name", payload: { ...VALID, website_platforms: ["wordpress", ""] }, path: "website_platforms.1" },
    { label: "a platform name of spaces only", payload: { ...VALID, social_platforms: ["  "] }, path: "social_platforms.0" },
    { label: "a platform name of 65 characters", payload: { ...VALID, analytics_platforms: ["a".repeat(65)] }, path: "analytics_platforms.0" },
    { label: "a platform that is an object", payload: { ...VALID, social_platforms: [{ name: "linkedin" }] }, path: "social_platforms.0" },
    { label: "an unknown field", payload: { ...VALID, cms_settings: { theme: "dark" } }, path: "cms_settings" },
  ])("refuses $label at $path", ({ payload, path }) => {
    expect(failingPaths(payload)).toEqual([path]);
  });

  it("says why", () => {
    const messages = (payload: unknown) => integrationsStepSchema.safeParse(payload).error?.issues.map((issue) => issue.message);

    expect(messages({ ...VALID, primary_website: "example.com" })).toEqual(["website must be an http(s) URL"]);
    expect(messages({ ...VALID, social_platforms: names(21) })).toEqual(["at most 20 platforms"]);
    expect(messages({ ...VALID, website_platforms: ["w".repeat(65)] })).toEqual(["a platform name has at most 64 characters"]);
  });
});
