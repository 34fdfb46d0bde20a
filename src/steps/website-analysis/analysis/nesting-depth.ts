/** Elements that never hold children, or whose end tag the parser implies: neither deepens the tree. */
const NO_DEPTH: ReadonlySet<string> = new Set(
  (
    "area base br col embed hr img input link meta param source track wbr " +
    "body caption colgroup dd dt head html li optgroup option p rp rt tbody td tfoot th thead tr"
  ).split(" "),
);
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(\/?)>/g;

/**
 * Whether the markup may nest elements deeper than `limit`, by one linear pass over its tags.
 * HTML parsers slow down quadratically with depth, so a hostile page of a few hundred thousand
 * nested `<div>`s would stall the process; real pages stay far below a few hundred levels.
 * It over-estimates (unclosed tags count as open), which only errs towards refusing.
 */
export function exceedsNestingDepth(html: string, limit: number): boolean {
  let depth = 0;
  for (const match of html.matchAll(TAG)) {
    const [, closing = "", name = "", selfClosing = ""] = match;
    if (NO_DEPTH.has(name.toLowerCase()) || selfClosing === "/") continue;
    depth = closing === "/" ? Math.max(0, depth - 1) : depth + 1;
    if (depth > limit) return true;
  }
  return false;
}
