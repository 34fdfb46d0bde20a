import { useId } from "react";

export interface PreferredModelProps {
  /** The saved language-model keys, in the order that picks one without a preference. */
  readonly saved: readonly { readonly provider: string; readonly label: string }[];
  readonly preferred: string | undefined;
  readonly busy: boolean;
  readonly onChange: (provider: string | null) => void;
}

/** With two or more model keys saved: which one writes the analysis and the persona. */
export function PreferredModel({ saved, preferred, busy, onChange }: PreferredModelProps) {
  const id = useId();
  if (saved.length < 2) return null;
  return (
    <div className="field">
      <label htmlFor={id}>Preferred language model</label>
      <select id={id} value={preferred ?? ""} disabled={busy} aria-describedby={`${id}-hint`} onChange={(event) => onChange(event.target.value === "" ? null : event.target.value)}>
        <option value="">The first saved: {saved[0]?.label}</option>
        {saved.map(({ provider, label }) => (
          <option key={provider} value={provider}>
            {label}
          </option>
        ))}
      </select>
      <p id={`${id}-hint`} className="hint">
        The key that writes your website analysis and your persona.
      </p>
    </div>
  );
}
