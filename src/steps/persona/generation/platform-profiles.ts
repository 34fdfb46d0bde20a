import { KNOWN_PLATFORMS, type KnownPlatform } from "./persona-types.js";

/** What each platform asks of a writer; a platform persona is the core persona bent by one of these. */
export interface PlatformProfile {
  readonly label: string;
  /** Added to the core formality (0..1): how far the platform pulls the tone. */
  readonly formalityShift: number;
  readonly toneAdjustment: string;
  readonly longForm: boolean;
  /** Words per piece at Standard research depth; long-form pieces grow with depth. */
  readonly words: readonly [number, number];
  readonly characterLimit: number | null;
  readonly maxSentenceWords: number;
  readonly hashtags: readonly [number, number];
  readonly hashtagStrategy: string;
  readonly emojiUsage: string;
  readonly paragraphStructure: string;
  readonly cadence: string;
  readonly callToAction: string;
  readonly linkPlacement: string;
  readonly bestPractices: readonly string[];
}

export const PLATFORM_PROFILES: Readonly<Record<KnownPlatform, PlatformProfile>> = Object.freeze({
  linkedin: {
    label: "LinkedIn", formalityShift: 0.1, toneAdjustment: "a notch more professional than the core voice",
    longForm: false, words: [150, 300], characterLimit: 3000, maxSentenceWords: 25, hashtags: [3, 5],
    hashtagStrategy: "three to five specific hashtags at the end, never mid-sentence",
    emojiUsage: "sparing: one or two as visual markers at most",
    paragraphStructure: "a hook in the first two lines (before 'see more'), then one- or two-sentence paragraphs",
    cadence: "3-5 posts a week", callToAction: "close with a question that invites comments",
    linkPlacement: "in the first comment, not the post body",
    bestPractices: ["share one lesson or insight per post", "use a carousel or document for frameworks", "reply to comments within the first hour"],
  },
  facebook: {
    label: "Facebook", formalityShift: -0.15, toneAdjustment: "warmer and more personal than the core voice",
    longForm: false, words: [40, 80], characterLimit: 63206, maxSentenceWords: 20, hashtags: [0, 2],
    hashtagStrategy: "at most two, or none", emojiUsage: "welcome where they add warmth",
    paragraphStructure: "short paragraphs; an image or question carries the post",
    cadence: "up to one post a day", callToAction: "ask readers to comment or share their own experience",
    linkPlacement: "in the post body with a one-line teaser",
    bestPractices: ["pair every post with an image or short video", "start conversations rather than broadcasts"],
  },
  instagram: {
    label: "Instagram", formalityShift: -0.2, toneAdjustment: "lighter and more visual than the core voice",
    longForm: false, words: [50, 150], characterLimit: 2200, maxSentenceWords: 18, hashtags: [5, 15],
    hashtagStrategy: "five to fifteen niche hashtags after the caption or in the first comment",
    emojiUsage: "encouraged as visual markers", paragraphStructure: "the first line is the hook; short spaced lines",
    cadence: "4-7 posts a week plus stories", callToAction: "point to the link in bio or ask readers to save and share",
    linkPlacement: "link in bio; caption links are not clickable",
    bestPractices: ["write for the image: the caption completes the visual", "use carousels for step-by-step content"],
  },
  twitter: {
    label: "X (Twitter)", formalityShift: -0.1, toneAdjustment: "punchier and more direct than the core voice",
    longForm: false, words: [20, 45], characterLimit: 280, maxSentenceWords: 18, hashtags: [0, 2],
    hashtagStrategy: "one or two at most, woven into the text", emojiUsage: "sparing",
    paragraphStructure: "one idea per post; a thread of 3-10 posts for a longer idea",
    cadence: "1-3 posts a day", callToAction: "ask for a reply or a repost",
    linkPlacement: "at the end of the post or in the first reply",
    bestPractices: ["lead with the strongest claim", "number the posts of a thread"],
  },
  blog: {
    label: "Blog", formalityShift: 0, toneAdjustment: "the core voice unchanged",
    longForm: true, words: [1000, 1800], characterLimit: null, maxSentenceWords: 25, hashtags: [0, 0],
    hashtagStrategy: "none; categories and tags serve search instead", emojiUsage: "none",
    paragraphStructure: "H2/H3 headings every 200-300 words, short paragraphs, bullet lists for steps",
    cadence: "1-2 articles a week", callToAction: "end with one clear next step (subscribe, related article, contact)",
    linkPlacement: "internal links in context; sources linked inline",
    bestPractices: ["put the primary keyword in the title, first paragraph and one heading", "write a meta description under 160 characters"],
  },
  medium: {
    label: "Medium", formalityShift: -0.05, toneAdjustment: "more reflective and personal than the core voice",
    longForm: true, words: [800, 1500], characterLimit: null, maxSentenceWords: 25, hashtags: [0, 5],
    hashtagStrategy: "up to five Medium tags, no inline hashtags", emojiUsage: "none",
    paragraphStructure: "a strong title and subtitle, short paragraphs, pull quotes for key lines",
    cadence: "one story a week", callToAction: "invite readers to follow and respond",
    linkPlacement: "sparingly, in context",
    bestPractices: ["submit to a publication that fits the topic", "open with a personal angle on the idea"],
  },
  substack: {
    label: "Substack", formalityShift: -0.1, toneAdjustment: "direct and personal, written to one reader",
    longForm: true, words: [700, 1300], characterLimit: null, maxSentenceWords: 22, hashtags: [0, 0],
    hashtagStrategy: "none", emojiUsage: "sparing",
    paragraphStructure: "a personal opening, clear sections under headings, a consistent sign-off",
    cadence: "weekly or every other week, on a fixed day", callToAction: "ask readers to reply, subscribe or share",
    linkPlacement: "in context, each with a short reason to click",
    bestPractices: ["keep a recurring structure readers can expect", "write subject lines as promises"],
  },
});

export function isKnownPlatform(platform: string): platform is KnownPlatform {
  return (KNOWN_PLATFORMS as readonly string[]).includes(platform);
}
