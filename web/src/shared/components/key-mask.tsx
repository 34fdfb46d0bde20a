/** A long mask is shortened for the eye: at most eight stars before the last four characters. */
export function shortMask(masked: string): string {
  const stars = masked.length - masked.replace(/^\*+/, "").length;
  return "•".repeat(Math.min(stars, 8)) + masked.slice(stars);
}

/** A saved key as the API shows it: its mask, never the key. */
export function KeyMask({ masked }: { readonly masked: string }) {
  return (
    <code className="mask" title="Only the last four characters are ever shown">
      {shortMask(masked)}
    </code>
  );
}
