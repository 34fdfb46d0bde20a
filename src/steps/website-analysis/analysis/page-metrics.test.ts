import { describe, expect, it } from "vitest";
import { MAX_NESTING_DEPTH } from "./extract-page.js";
import { FIXTURE_PAGE } from "../../../test-support/fixture-page.js";
import { computePageMetrics } from "./page-metrics.js";
import { sentencesOf, syllablesOf, wordsOf } from "./text-units.js";
import { WebsiteFetchFailed } from "./website-fetch-errors.js";

describe("computePageMetrics", () => {
  it("measures a known page exactly", () => {
    const metrics = computePageMetrics(FIXTURE_PAGE);

    expect(metrics).toEqual({
      title: "Acme Docs",
      meta_description: "Guides for the Acme API.",
      language: "en",
      word_count: 27,
      sentence_count: 8,
      avg_sentence_length: 3.4, // 27 / 8 = 3.375
      avg_word_length: 3.9, // 106 / 27 = 3.93
      reading_level: {
        // 206.835 − 1.015 × 3.375 − 84.6 × 32/27 = 103.14
        flesch_reading_ease: 103.1,
        // 0.39 × 3.375 + 11.8 × 32/27 − 15.59 = −0.29
        flesch_kincaid_grade: -0.3,
        syllables_per_word: 1.19,
        label: "very easy",
      },
      tone_markers: {
        exclamations: 1,
        questions: 1,
        exclamation_rate: 0.125,
        question_rate: 0.125,
        formal_markers: 0,
        informal_markers: 0,
        contractions: 0,
        positive_words: 3, // simple, love, easy
        negative_words: 0,
        tone: "enthusiastic", // 3 positive words in 27 is over 5 %
      },
      person_use: { we: 2, you: 1, i: 0, dominant: "we" },
      headings: { h1: ["Build faster"], h2: ["Guide: how to start"], h3: [] },
      topics: [
        { term: "api", count: 2 },
        { term: "build", count: 1 },
        { term: "call", count: 1 },
        { term: "easy", count: 1 },
        { term: "endpoint", count: 1 },
        { term: "faster", count: 1 },
        { term: "guide", count: 1 },
        { term: "install", count: 1 },
        { term: "love", count: 1 },
        { term: "sdk", count: 1 },
      ],
      audience_hints: [
        { audience: "developers", score: 5, evidence: ["api", "code listings", "endpoint", "sdk"] },
        { audience: "beginners", score: 2, evidence: ["guide", "how to"] },
      ],
      structure: { paragraphs: 2, lists: 0, links: 1, images: 1, code_blocks: 1 },
    });
  });

  it("gives the same metrics for the same page every time", () => {
    expect(JSON.stringify(computePageMetrics(FIXTURE_PAGE))).toBe(JSON.stringify(computePageMetrics(FIXTURE_PAGE)));
  });

  it("reads a page without text as empty, not as an error", () => {
    const metrics = computePageMetrics("<html><body><script>x()</script></body></html>");

    expect(metrics.word_count).toBe(0);
    expect(metrics.sentence_count).toBe(0);
    expect(metrics.avg_sentence_length).toBe(0);
    expect(metrics.reading_level.label).toBe("not enough text");
    expect(metrics.person_use.dominant).toBe("none");
    expect(metrics.title).toBeNull();
  });

  it("reads a fragment without <html> or <body>", () => {
    expect(computePageMetrics("<p>Hello there.</p><p>Bye.</p>").sentence_count).toBe(2);
  });

  it("calls a tie for the most used person mixed", () => {
    expect(computePageMetrics("<p>We help you. I think.</p>").person_use).toEqual({ we: 1, you: 1, i: 1, dominant: "mixed" });
  });

  it("removes NUL and lone surrogates, which no store accepts", () => {
    const metrics = computePageMetrics("<title>A&#0;B\u0000C</title><h1>X\uD800Y</h1>");

    expect(metrics.title).toBe("A\uFFFDBC"); // &#0; decodes to U+FFFD, the raw NUL is dropped
    expect(metrics.headings.h1).toEqual(["X\uFFFDY"]);
  });

  it("refuses markup nested deeper than it parses safely", () => {
    const depth = MAX_NESTING_DEPTH + 1;
    const html = `<body>${"<div>".repeat(depth)}x${"</div>".repeat(depth)}</body>`;

    expect(() => computePageMetrics(html)).toThrow(WebsiteFetchFailed);
  });

  it("does not count unclosed paragraphs and list items as nesting", () => {
    const html = `<body><ul>${"<li>item ".repeat(MAX_NESTING_DEPTH * 2)}</ul>${"<p>text ".repeat(MAX_NESTING_DEPTH * 2)}</body>`;

    expect(computePageMetrics(html).word_count).toBe(MAX_NESTING_DEPTH * 4);
  });
});

describe("text units", () => {
  it("keeps contractions as one word and splits at hyphens", () => {
    expect(wordsOf("We’re step-by-step, don't worry")).toEqual(["We're", "step", "by", "step", "don't", "worry"]);
  });

  it("does not end a sentence inside a number or a domain name", () => {
    const sentences = sentencesOf(["Version 3.5 is on example.com now. Try it!"]);

    expect(sentences.map((sentence) => [sentence.words.length, sentence.ending])).toEqual([
      [6, "statement"],
      [2, "exclamation"],
    ]);
  });

  it.each([
    ["the", 1],
    ["make", 1],
    ["simple", 2],
    ["faster", 2],
    ["endpoint", 2],
    ["easy", 2],
    ["readability", 5],
    ["2024", 1],
  ])("counts %s as %i syllable(s)", (word, syllables) => {
    expect(syllablesOf(word)).toBe(syllables);
  });
});
