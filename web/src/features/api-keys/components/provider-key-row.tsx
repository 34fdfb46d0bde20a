import { useEffect, useId, useRef } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import type { ProviderGuide } from "@/shared/api/get-providers";
import { Button } from "@/shared/components/button";
import { KeyMask } from "@/shared/components/key-mask";
import { TextField } from "@/shared/components/text-field";

export interface ProviderKeyRowProps {
  readonly guide: ProviderGuide;
  /** The saved key's mask from the API; the key itself never reaches the page. */
  readonly masked: string | undefined;
  /** One of the language model providers, one of which step 1 needs. */
  readonly languageModel: boolean;
  readonly editing: boolean;
  readonly error: string | undefined;
  readonly field: UseFormRegisterReturn;
  readonly saving: boolean;
  readonly removing: boolean;
  /** Why Remove was refused (the last language model key), said next to the key; Replace is the way on. */
  readonly removalRefused?: string | undefined;
  readonly onReplace: () => void;
  readonly onCancel: () => void;
  readonly onSave: () => void;
  readonly onRemove: () => void;
  /** Language-model keys only: asks the provider whether it accepts the saved key. */
  readonly checking: boolean;
  readonly checkResult: string | undefined;
  readonly onCheck: () => void;
}

/** Where focus lands on a saved key: Replace, the way on after a save, a cancel or a refused Remove (not Check key, listed first). */
const REPLACE_BUTTON = ".saved-key [data-replace]";

/**
 * When the row switches between its field and its saved key (Save, Replace, Remove, Cancel), the
 * control that had focus goes away; focus moves to what replaced it, so keyboard users stay put.
 */
function useKeepFocus(editing: boolean, refused: boolean) {
  const row = useRef<HTMLDivElement>(null);
  const before = useRef(editing);
  useEffect(() => {
    if (before.current === editing) return;
    before.current = editing;
    const element = row.current;
    if (element === null || !element.contains(document.activeElement) && document.activeElement !== document.body) return;
    const target = element.querySelector<HTMLElement>(editing ? ".provider-key input" : REPLACE_BUTTON);
    target?.focus();
  }, [editing]);
  // A refused Remove offers Replace: focus goes to it, right after the reason is announced.
  useEffect(() => {
    if (refused) row.current?.querySelector<HTMLElement>(REPLACE_BUTTON)?.focus();
  }, [refused]);
  return row;
}

/** One provider: its guide, and either its saved key's mask (Replace, Remove) or the field to enter one. */
export function ProviderKeyRow(props: ProviderKeyRowProps) {
  const { guide } = props;
  const headingId = useId();
  const fromEnvironment = props.masked === undefined && guide.source === "environment";
  const row = useKeepFocus(props.editing, props.removalRefused !== undefined);
  return (
    <div role="group" aria-labelledby={headingId} className="provider" ref={row}>
      <div className="provider-about">
        <div className="provider-head">
          <h3 id={headingId}>{guide.label}</h3>
          {props.languageModel && <span className="tag">Language model</span>}
          {props.masked !== undefined && <span className="tag tag-done">Saved</span>}
          {fromEnvironment && <span className="tag tag-done">From the server</span>}
        </div>
        <p className="provider-description">{guide.description}</p>
        <details className="guide">
          <summary>How to get your {guide.label} key</summary>
          <ol>
            {guide.setup_steps.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
          <a href={guide.url} target="_blank" rel="noreferrer">
            Open {guide.label}&rsquo;s key page<span className="sr-only"> (opens in a new tab)</span>
          </a>
        </details>
      </div>

      <div className="provider-key">
        {props.masked !== undefined && !props.editing && (
          <div className="saved-key">
            <span className="saved-key-label">Saved key</span>
            <KeyMask masked={props.masked} />
            <span className="saved-key-actions">
              {props.languageModel && (
                <Button variant="quiet" onClick={props.onCheck} busy={props.checking}>
                  Check key
                </Button>
              )}
              <Button variant="quiet" onClick={props.onReplace} data-replace>
                Replace
              </Button>
              <Button variant="danger" onClick={props.onRemove} busy={props.removing}>
                Remove
              </Button>
            </span>
            {props.removalRefused !== undefined && (
              <p role="alert" className="notice notice-warning">
                {props.removalRefused}
              </p>
            )}
          </div>
        )}
        {props.languageModel && props.masked !== undefined && !props.editing && (
          <p className="hint key-check" role="status">
            {props.checkResult ?? ""}
          </p>
        )}
        {props.editing && (
          <TextField
              label={`${guide.label} API key`}
              type="password"
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="off"
              placeholder={fromEnvironment ? "Optional: your own key" : "Paste your key"}
              error={props.error}
              trailing={
                <>
                  <Button onClick={props.onSave} busy={props.saving}>
                    Save key
                  </Button>
                  {props.masked !== undefined && (
                    <Button variant="quiet" onClick={props.onCancel}>
                      Cancel
                    </Button>
                  )}
                </>
              }
              {...props.field}
            />
        )}
      </div>
    </div>
  );
}
