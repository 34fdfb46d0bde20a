import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../../onboarding/onboarding-record.js";
import { personaStepSchema } from "../persona-schema.js";
import { generatePersona } from "./generate-persona.js";
import { KNOWN_PLATFORMS } from "./persona-types.js";

const WEBSITE: JsonObject = {
  website: "https://www.acme-labs.com/blog",
  analysis: {
    writing_style: { tone: "professional yet approachable", voice: "active, confident", complexity: "moderate", reading_level: "Grade 10" },
    content_characteristics: { sentence_structure: "short declarative sentences", vocabulary_level: "intermediate" },
    target_audience: { primary: "marketing managers at SaaS startups", expertise_level: "intermediate", hints: ["B2B"] },
    content_type: { primary_type: "blog", purpose: "educate buyers" },
    recommended_settings: { writing_tone: "professional" },
    brand_analysis: { brand_values: ["Transparency", "Speed"] },
    content_strategy_insights: { strengths: ["case studies"] },
    style_patterns: { sentence_length: "about 16 words" },
    style_guidelines: { guidelines: ["Use concrete examples"], avoid_elements: ["jargon"] },
    metrics: { reading_level: 10.4, tone_markers: { formal: 4, informal: 2 }, person: { we: 3, you: 9 }, topics: [{ term: "growth", count: 4 }] },
  },
};
const RESEARCH: JsonObject = { research_depth: "Comprehensive", content_types: ["Blog Posts", "Newsletters"], auto_research: true, factual_content: true };

describe("generatePersona without a language model", () => {
  it("gives the same persona for the same input, and it survives JSON unchanged", async () => {
    const first = await generatePersona({ website: WEBSITE, research: RESEARCH, selectedPlatforms: ["linkedin", "blog"] });
    const second = await generatePersona({ website: structuredClone(WEBSITE), research: structuredClone(RESEARCH), selectedPlatforms: ["linkedin", "blog"] });

    expect(second).toEqual(first);
    expect(JSON.parse(JSON.stringify(first.persona))).toEqual(first.persona);
    expect(first.llmEnriched).toBe(false);
    expect(first.warnings).toEqual([]);
  });

  it("derives the core persona from steps 2 and 3", async () => {
    const { persona } = await generatePersona({ website: WEBSITE, research: RESEARCH });
    const core = persona.corePersona;

    expect(core.persona_name).toBe("The Acme Labs Educator");
    expect(core.archetype).toBe("Educator");
    expect(core.core_belief).toBe("Content earns trust by living up to transparency and speed.");
    // formality: tone 0.55, settings 0.8, markers (4 × 1 + 2 × 0) / 6 ≈ 0.67 → mean ≈ 0.67, "formal".
    expect(core.tone).toMatchObject({ default_tone: "professional yet approachable", formality: "formal" });
    expect(core.voice).toMatchObject({ description: "active, confident" });
    expect(core.voice).toMatchObject({ perspective: expect.stringContaining("second person") });
    expect(core.sentence_style).toMatchObject({ average_sentence_length_words: 16, preferred_sentence_type: "short declarative sentences" });
    expect(core.audience).toMatchObject({ primary: "marketing managers at SaaS startups", hints: ["B2B"] });
    expect(core.content_focus).toMatchObject({ content_types: ["Blog Posts", "Newsletters"], topics: ["growth"] });
    expect(core.research_approach).toMatchObject({ depth: "Comprehensive", auto_research: true, factual_content: true });
    expect(core.writing_guidelines).toEqual({ do: ["Use concrete examples"], avoid: ["jargon"] });
  });

  it("lets the research preferences change the persona", async () => {
    const basic = await generatePersona({ website: WEBSITE, research: { ...RESEARCH, research_depth: "Basic", factual_content: false }, selectedPlatforms: ["blog"] });
    const expert = await generatePersona({ website: WEBSITE, research: { ...RESEARCH, research_depth: "Expert" }, selectedPlatforms: ["blog"] });

    const words = (result: typeof basic) => (result.persona.platformPersonas.blog?.length as JsonObject).max_words as number;
    expect(words(expert)).toBeGreaterThan(words(basic));
    expect((expert.persona.corePersona.tone as JsonObject).forbidden_tones).toContain("sensationalist");
    expect((basic.persona.corePersona.tone as JsonObject).forbidden_tones).not.toContain("sensationalist");
  });

  it("still gives a valid persona from null or empty inputs, with low completeness and warnings", async () => {
    for (const [website, research] of [[null, null], [{}, {}], [{ analysis: null }, { content_types: null }]] as const) {
      const { persona, warnings } = await generatePersona({ website, research });

      expect(personaStepSchema.safeParse(persona).success).toBe(true);
      expect(persona.qualityMetrics.completeness).toBe(0);
      expect(persona.selectedPlatforms).toEqual(["blog", "linkedin"]);
      expect(persona.corePersona.persona_name).toEqual(expect.any(String));
      expect(persona.corePersona.derived_from).toEqual(["defaults"]);
      expect(warnings.join(" ")).toMatch(/No website analysis.*No research preferences/);
    }
  });

  it("tolerates unknown keys and odd types without losing what it knows", async () => {
    const website: JsonObject = {
      website: "https://example.org",
      surprise: { nested: [1, "two", null] },
      analysis: {
        writing_style: { tone: ["friendly", "warm"], unknown_key: 42, complexity: 7 },
        target_audience: "small-business owners",
        brand_analysis: [],
        metrics: { reading_level: { grade: 6 }, tone_markers: ["casual", 3, null], person: "we", topics: "bread, baking" },
        brand_new_field: { anything: true },
      },
    };
    const research: JsonObject = { research_depth: "standard", content_types: "Recipes, Tutorials", extra: "ignored", auto_research: 1 };

    const { persona } = await generatePersona({ website, research });

    expect(personaStepSchema.safeParse(persona).success).toBe(true);
    expect(persona.corePersona.tone).toMatchObject({ default_tone: "friendly, warm", formality: "casual" });
    expect(persona.corePersona.audience).toMatchObject({ primary: "small-business owners" });
    expect(persona.corePersona.content_focus).toMatchObject({ content_types: ["Recipes", "Tutorials"], topics: ["bread", "baking"] });
    expect(persona.corePersona.research_approach).toMatchObject({ depth: "Standard", auto_research: false });
    expect(persona.corePersona.persona_name).toBe("The Example Educator");
  });

  it("reads old progress files that put the analysis beside website_url", async () => {
    const legacy: JsonObject = { website_url: "https://old.example.com", writing_style: { tone: "formal" }, target_audience: { primary: "lawyers" } };

    const { persona } = await generatePersona({ website: legacy, research: null });

    expect(persona.corePersona.audience).toMatchObject({ primary: "lawyers" });
    expect(persona.corePersona.tone).toMatchObject({ default_tone: "formal" });
    expect(persona.qualityMetrics.completeness).toBe(21.4);
  });
});

describe("platform personas", () => {
  it("exist exactly for the selected platforms, in their order", async () => {
    const { persona, warnings } = await generatePersona({ website: WEBSITE, research: RESEARCH, selectedPlatforms: ["twitter", "LinkedIn", "x", "tiktok"] });

    expect(persona.selectedPlatforms).toEqual(["twitter", "linkedin", "tiktok"]);
    expect(Object.keys(persona.platformPersonas)).toEqual(["twitter", "linkedin", "tiktok"]);
    expect(persona.platformPersonas.tiktok).toMatchObject({ tailored: false, follows_core: persona.corePersona.persona_name });
    expect(warnings).toEqual(['No tailored profile exists for "tiktok"; its persona follows the core persona.']);
  });

  it("adapt length, hashtags and tone to each known platform while following the core persona", async () => {
    const { persona } = await generatePersona({ website: WEBSITE, research: RESEARCH, selectedPlatforms: [...KNOWN_PLATFORMS] });

    expect(Object.keys(persona.platformPersonas)).toEqual([...KNOWN_PLATFORMS]);
    for (const platform of KNOWN_PLATFORMS) {
      const adapted = persona.platformPersonas[platform] as JsonObject;
      expect(adapted).toMatchObject({ platform, tailored: true, follows_core: persona.corePersona.persona_name });
      expect((adapted.tone as JsonObject).base_tone).toBe((persona.corePersona.tone as JsonObject).default_tone);
    }
    const twitter = persona.platformPersonas.twitter as JsonObject;
    const blog = persona.platformPersonas.blog as JsonObject;
    expect((twitter.length as JsonObject).character_limit).toBe(280);
    expect((blog.length as JsonObject).max_words as number).toBeGreaterThan((twitter.length as JsonObject).max_words as number);
    expect((persona.platformPersonas.instagram?.hashtags as JsonObject).max).toBeGreaterThan((blog.hashtags as JsonObject).max as number);
    expect((persona.platformPersonas.linkedin?.tone as JsonObject).formality).toBe("formal");
    expect((persona.platformPersonas.instagram?.tone as JsonObject).formality).toBe("balanced");
  });

  it("are chosen from the content types when none are selected", async () => {
    const derive = async (contentTypes: string[]) =>
      (await generatePersona({ website: null, research: { ...RESEARCH, content_types: contentTypes } })).persona.selectedPlatforms;

    expect(await derive(["Blog Posts", "Email Newsletters"])).toEqual(["blog", "substack"]);
    expect(await derive(["Social Media", "Infographics"])).toEqual(["linkedin", "instagram"]);
    expect(await derive(["Poems"])).toEqual(["blog", "linkedin"]);
  });

  it("drops unusable names and keeps at most ten, saying so", async () => {
    const many = ["blog", "Bad Name!", ...Array.from({ length: 11 }, (_, index) => `network${index}`)];

    const { persona, warnings } = await generatePersona({ website: null, research: null, selectedPlatforms: many });

    expect(persona.selectedPlatforms).toHaveLength(10);
    expect(persona.selectedPlatforms[0]).toBe("blog");
    expect(personaStepSchema.safeParse(persona).success).toBe(true);
    expect(warnings).toContain('Ignored the platform name "Bad Name!": a platform is a lower-case name such as linkedin or blog.');
    expect(warnings).toContain("Only the first 10 selected platforms were kept.");
  });
});

describe("tone wording", () => {
  it("uses the scale's wording when the analysis describes the tone at length", async () => {
    const essay = `Formal throughout, ${"with careful qualifications and measured claims ".repeat(3)}`;

    const { persona } = await generatePersona({ website: { website: "https://example.com", analysis: { writing_style: { tone: essay } } }, research: null });

    expect(persona.corePersona.tone).toMatchObject({ default_tone: "professional and authoritative", formality: "formal" });
  });
});
