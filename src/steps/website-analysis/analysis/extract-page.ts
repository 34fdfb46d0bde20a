import { load, type Cheerio, type CheerioAPI } from "cheerio";
import { cleanText } from "./clean-json.js";
import { exceedsNestingDepth } from "./nesting-depth.js";
import { WebsiteFetchFailed } from "./website-fetch-errors.js";

/** What the analysis reads from a page: its own prose, without chrome, scripts or code listings. */
export interface ExtractedPage {
  readonly title: string | null;
  readonly metaDescription: string | null;
  readonly language: string | null;
  readonly headings: { readonly h1: readonly string[]; readonly h2: readonly string[]; readonly h3: readonly string[] };
  /** The text of each block (paragraph, heading, list item, cell…) in document order. */
  readonly blocks: readonly string[];
  readonly structure: PageStructure;
}

export type PageStructure = {
  paragraphs: number;
  lists: number;
  links: number;
  images: number;
  code_blocks: number;
};

/** Not the site's writing: behaviour, styling, navigation chrome, embedded media. */
const NOT_PROSE = "script, style, noscript, template, nav, footer, svg, iframe, object, canvas";
const BLOCK_TAGS: ReadonlySet<string> = new Set(
  (
    "address article aside blockquote br caption dd details div dl dt figcaption figure form h1 h2 h3 h4 h5 h6 " +
    "header hr li main ol p section summary table td th tr ul"
  ).split(" "),
);
const END_OF_BLOCK = Symbol("end of block");
type DomNode = Exclude<Parameters<typeof load>[0], string | Buffer | readonly unknown[]>;
/** Far beyond any real page (browsers stop nesting at 512), far below where parsing gets slow. */
export const MAX_NESTING_DEPTH = 4096;
/** htmlparser2: several times faster than the default parse5 on large pages, and as forgiving. */
const PARSER_OPTIONS = { xml: { xmlMode: false, decodeEntities: true } };

/** Throws WebsiteFetchFailed ("unreadable") for markup nested too deeply to parse safely. */
export function extractPage(html: string): ExtractedPage {
  if (exceedsNestingDepth(html, MAX_NESTING_DEPTH)) {
    throw new WebsiteFetchFailed("unreadable", `the page nests elements more than ${MAX_NESTING_DEPTH} levels deep`);
  }
  const $ = load(html, PARSER_OPTIONS);
  $(NOT_PROSE).remove();
  // This parser adds no <body> to a fragment; the whole document stands in for it then.
  const body: Root = $("body").length > 0 ? $("body").first() : $.root();
  const structure = structureOf($);
  // Code listings are counted above but are not prose: their "sentences" would skew every metric.
  $("pre").remove();
  return {
    title: textOrNull($("title").first().text()),
    metaDescription: metaDescription($),
    language: textOrNull($("html").attr("lang") ?? ""),
    headings: { h1: headingTexts($, "h1"), h2: headingTexts($, "h2"), h3: headingTexts($, "h3") },
    blocks: blocksOf(body),
    structure,
  };
}

type Root = Cheerio<DomNode>;

/** Whole-document queries: `Cheerio.find` below <body> is orders of magnitude slower on big pages. */
function structureOf($: CheerioAPI): PageStructure {
  return {
    paragraphs: $("p").filter((_, el) => collapse($(el).text()) !== "").length,
    lists: $("ul, ol").length,
    links: $("a[href]").length,
    images: $("img").length,
    code_blocks: $("pre").length,
  };
}

function metaDescription($: CheerioAPI): string | null {
  const named = $("meta")
    .filter((_, el) => ($(el).attr("name") ?? "").toLowerCase() === "description")
    .first()
    .attr("content");
  return textOrNull(named ?? $('meta[property="og:description"]').first().attr("content") ?? "");
}

function headingTexts($: CheerioAPI, level: "h1" | "h2" | "h3"): string[] {
  return $(level)
    .map((_, el) => collapse($(el).text()))
    .get()
    .filter((text) => text !== "");
}

/**
 * Text split at block boundaries, so "<h2>Plans</h2><p>We…" reads as two blocks rather than one
 * run-on "PlansWe…", while inline markup (`<a>`, `<em>`) stays inside its sentence. The walk uses
 * its own stack: a hostile page can nest elements far deeper than the call stack allows.
 */
function blocksOf(body: Root): string[] {
  const blocks: string[] = [];
  let current = "";
  const pending: (DomNode | typeof END_OF_BLOCK)[] = body.get().reverse();
  while (pending.length > 0) {
    const item = pending.pop();
    if (item === undefined) break;
    if (item === END_OF_BLOCK || isBlock(item)) {
      const block = collapse(current);
      if (block !== "") blocks.push(block);
      current = "";
      if (item === END_OF_BLOCK) continue;
      pending.push(END_OF_BLOCK);
    }
    if ("data" in item && item.type === "text") current += item.data;
    if ("children" in item) {
      for (let i = item.children.length - 1; i >= 0; i -= 1) pending.push(item.children[i] as DomNode);
    }
  }
  const last = collapse(current);
  if (last !== "") blocks.push(last);
  return blocks;
}

function isBlock(node: DomNode): boolean {
  return "name" in node && BLOCK_TAGS.has(node.name.toLowerCase());
}

function collapse(text: string): string {
  return cleanText(text).replace(/\s+/g, " ").trim();
}

function textOrNull(text: string): string | null {
  const collapsed = collapse(text);
  return collapsed === "" ? null : collapsed;
}
