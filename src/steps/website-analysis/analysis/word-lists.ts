/**
 * The fixed English vocabularies the deterministic metrics count against. They are data, kept
 * apart from the rules, so a change to a list shows up as exactly that in a diff.
 */

export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all also am an and any are aren't as at be because been before being below " +
    "between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each " +
    "either else even ever every few for from further get gets got had hadn't has hasn't have haven't having he " +
    "he'd he'll he's her here here's hers herself him himself his how how's however i i'd i'll i'm i've if in into " +
    "is isn't it it's its itself just let's like made make makes many may me might more most much must mustn't my " +
    "myself need needs never new no nor not now of off often on once one only or other ought our ours ourselves out " +
    "over own per same shan't she she'd she'll she's should shouldn't since so some still such than that that's " +
    "the their theirs them themselves then there there's these they they'd they'll they're they've this those " +
    "through to too two under until up upon us use used using very via was wasn't way we we'd we'll we're we've " +
    "well were weren't what what's when when's where where's whether which while who who's whom why why's will with " +
    "within without won't would wouldn't yet you you'd you'll you're you've your yours yourself yourselves"
  ).split(" "),
);

export const FORMAL_MARKERS: ReadonlySet<string> = new Set([
  "accordingly", "additionally", "consequently", "furthermore", "hence", "herein", "hereby", "moreover",
  "nevertheless", "nonetheless", "notwithstanding", "pursuant", "regarding", "subsequently", "therefore",
  "thereby", "thus", "whereas", "whereby", "wherein",
]);

export const INFORMAL_MARKERS: ReadonlySet<string> = new Set([
  "awesome", "btw", "cool", "gonna", "gotta", "hey", "hi", "kinda", "lol", "ok", "okay", "omg", "stuff",
  "super", "totally", "wanna", "wow", "yeah", "yep", "yup",
]);

export const POSITIVE_WORDS: ReadonlySet<string> = new Set([
  "amazing", "beautiful", "best", "better", "brilliant", "delight", "easy", "effortless", "enjoy", "excellent",
  "exciting", "fantastic", "fast", "great", "happy", "ideal", "incredible", "innovative", "love", "perfect",
  "powerful", "reliable", "seamless", "simple", "success", "successful", "trusted", "wonderful",
]);

export const NEGATIVE_WORDS: ReadonlySet<string> = new Set([
  "bad", "broken", "difficult", "fail", "failure", "frustrating", "hard", "poor", "problem", "problems",
  "risk", "slow", "struggle", "worse", "worst", "wrong",
]);

export const FIRST_PERSON_PLURAL: ReadonlySet<string> = new Set(["we", "us", "our", "ours", "ourselves", "we're", "we've", "we'll", "we'd"]);
export const SECOND_PERSON: ReadonlySet<string> = new Set(["you", "your", "yours", "yourself", "yourselves", "you're", "you've", "you'll", "you'd"]);
export const FIRST_PERSON_SINGULAR: ReadonlySet<string> = new Set(["i", "me", "my", "mine", "myself", "i'm", "i've", "i'll", "i'd"]);

export interface AudienceVocabulary {
  readonly audience: string;
  readonly terms: ReadonlySet<string>;
  /** Multi-word signals, matched on word boundaries in the lower-cased text. */
  readonly phrases: readonly string[];
}

export const AUDIENCE_VOCABULARIES: readonly AudienceVocabulary[] = [
  {
    audience: "developers",
    terms: new Set([
      "api", "apis", "backend", "cli", "code", "debug", "deploy", "developer", "developers", "endpoint",
      "endpoints", "frontend", "github", "javascript", "json", "library", "npm", "python", "repository", "sdk",
      "typescript", "webhook", "webhooks",
    ]),
    phrases: ["open source", "pull request", "source code"],
  },
  {
    audience: "business",
    terms: new Set([
      "b2b", "business", "businesses", "client", "clients", "companies", "company", "customers", "enterprise",
      "enterprises", "growth", "partners", "pricing", "productivity", "revenue", "roi", "sales", "stakeholders",
      "teams",
    ]),
    phrases: ["small business", "case study", "return on investment"],
  },
  {
    audience: "marketers",
    terms: new Set([
      "audience", "brand", "branding", "campaign", "campaigns", "conversion", "conversions", "engagement",
      "marketing", "marketers", "newsletter", "seo", "social", "traffic",
    ]),
    phrases: ["content marketing", "social media", "lead generation"],
  },
  {
    audience: "beginners",
    terms: new Set(["basics", "beginner", "beginners", "guide", "guides", "introduction", "tutorial", "tutorials"]),
    phrases: ["how to", "step by step", "getting started", "for beginners", "what is"],
  },
  {
    audience: "consumers",
    terms: new Set(["buy", "cart", "checkout", "deals", "discount", "order", "sale", "shipping", "shop", "store"]),
    phrases: ["free shipping", "add to cart"],
  },
  {
    audience: "researchers",
    terms: new Set(["academic", "dataset", "findings", "hypothesis", "journal", "methodology", "paper", "peer", "research", "study"]),
    phrases: ["et al", "peer reviewed"],
  },
];
