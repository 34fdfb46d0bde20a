/** Read-only facts as a description list; the ones without a text or number value are left out. */
export function Facts({ facts }: { readonly facts: readonly (readonly [string, unknown])[] }) {
  const shown = facts.filter((fact): fact is readonly [string, string | number] => typeof fact[1] === "string" || typeof fact[1] === "number");
  if (shown.length === 0) return null;
  return (
    <dl className="facts">
      {shown.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
