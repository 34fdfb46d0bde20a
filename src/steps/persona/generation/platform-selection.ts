import { firstList, firstText } from "./json-reading.js";
import type { PersonaInputs } from "./persona-inputs.js";
import type { KnownPlatform } from "./persona-types.js";

/** Step 4 stores at most this many (SPEC §4: selectedPlatforms is string[1..10]). */
export const MAX_PLATFORMS = 10;

/** The same rule step 4's schema applies, so a generated persona always saves. */
const PLATFORM_NAME = /^[a-z][a-z0-9_-]{0,39}$/;

const ALIASES: Readonly<Record<string, string>> = { x: "twitter", "x-twitter": "twitter", "twitter-x": "twitter" };

/** Content-type words that point to a platform, in the order derived platforms are listed. */
const PLATFORM_HINTS: ReadonlyArray<readonly [KnownPlatform, RegExp]> = [
  ["blog", /blog|article|guide|tutorial|how-to|case stud|white ?paper|long-form|seo/],
  ["linkedin", /linkedin|social|b2b|thought leadership/],
  ["twitter", /twitter|tweet|thread|\bx\b|micro/],
  ["facebook", /facebook|community/],
  ["instagram", /instagram|visual|photo|infographic|reel/],
  ["medium", /\bmedium\b/],
  ["substack", /substack|newsletter|email/],
];

export const DEFAULT_PLATFORMS: readonly KnownPlatform[] = ["blog", "linkedin"];

export interface PlatformChoice {
  readonly platforms: string[];
  readonly warnings: string[];
}

/**
 * The platforms to write personas for: the requested ones, cleaned; when none usable were
 * requested, the ones the user's content types point to, else blog and LinkedIn.
 */
export function choosePlatforms(requested: readonly string[] | undefined, inputs: PersonaInputs): PlatformChoice {
  const warnings: string[] = [];
  const cleaned = cleanRequested(requested ?? [], warnings);
  if (cleaned.length > 0) return { platforms: cleaned, warnings };
  if (requested !== undefined && requested.length > 0) warnings.push("None of the selected platforms is usable; platforms were chosen from your content types.");
  return { platforms: derivePlatforms(inputs), warnings };
}

export function derivePlatforms(inputs: PersonaInputs): KnownPlatform[] {
  const { content_type } = inputs.analysis;
  const mentions = [
    ...inputs.research.contentTypes,
    firstText(content_type, ["primary_type", "type"]) ?? "",
    ...firstList(content_type, ["secondary_types"]),
  ]
    .join(" | ")
    .toLowerCase();
  const hinted = PLATFORM_HINTS.filter(([, pattern]) => pattern.test(mentions)).map(([platform]) => platform);
  return hinted.length > 0 ? hinted : [...DEFAULT_PLATFORMS];
}

function cleanRequested(requested: readonly string[], warnings: string[]): string[] {
  const platforms: string[] = [];
  for (const raw of requested) {
    const name = typeof raw === "string" ? raw.trim().toLowerCase() : "";
    const platform = ALIASES[name] ?? name;
    if (!PLATFORM_NAME.test(platform)) {
      warnings.push(`Ignored the platform name ${JSON.stringify(raw)}: a platform is a lower-case name such as linkedin or blog.`);
    } else if (!platforms.includes(platform)) {
      platforms.push(platform);
    }
  }
  if (platforms.length > MAX_PLATFORMS) {
    warnings.push(`Only the first ${MAX_PLATFORMS} selected platforms were kept.`);
    return platforms.slice(0, MAX_PLATFORMS);
  }
  return platforms;
}
