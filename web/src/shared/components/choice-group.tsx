import type { InputHTMLAttributes, ReactNode, Ref } from "react";
import { FieldError, useDescription } from "@/shared/components/text-field";

interface ChoiceGroupProps {
  readonly legend: ReactNode;
  readonly hint?: ReactNode;
  readonly error?: string | undefined;
  readonly children: ReactNode;
  readonly layout?: "grid" | "row";
}

/** A fieldset of checkboxes or radios: the legend names the group, its error is tied to it. */
export function ChoiceGroup({ legend, hint, error, children, layout = "grid" }: ChoiceGroupProps) {
  const d = useDescription(hint, error);
  return (
    <fieldset className="choice-group" aria-describedby={d.describedBy}>
      <legend>{legend}</legend>
      {hint !== undefined && (
        <p id={d.hintId} className="hint">
          {hint}
        </p>
      )}
      <div className={`choices choices-${layout}`}>{children}</div>
      <FieldError id={d.errorId} message={error} />
    </fieldset>
  );
}

type ChoiceProps = InputHTMLAttributes<HTMLInputElement> & {
  readonly label: ReactNode;
  readonly description?: ReactNode;
  readonly type: "checkbox" | "radio";
  readonly invalid?: boolean;
  readonly ref?: Ref<HTMLInputElement>;
};

/** One checkbox or radio, its whole card clickable through the label. */
export function Choice({ label, description, invalid, ...input }: ChoiceProps) {
  return (
    <label className="choice">
      <input aria-invalid={invalid ? "true" : undefined} {...input} />
      <span className="choice-text">
        <span className="choice-label">{label}</span>
        {description !== undefined && <span className="choice-description">{description}</span>}
      </span>
    </label>
  );
}

type SwitchProps = Omit<InputHTMLAttributes<HTMLInputElement>, "type"> & {
  readonly label: ReactNode;
  readonly description?: ReactNode;
  readonly ref?: Ref<HTMLInputElement>;
};

/** An on/off setting: a checkbox with the switch role, so it reads "on"/"off" and toggles with Space. */
export function Switch({ label, description, ...input }: SwitchProps) {
  const d = useDescription(description, undefined);
  return (
    <div className="switch-row">
      <span className="switch-text">
        <label htmlFor={d.id} className="switch-label">
          {label}
        </label>
        {description !== undefined && (
          <span id={d.hintId} className="hint">
            {description}
          </span>
        )}
      </span>
      <input id={d.id} type="checkbox" role="switch" className="switch" aria-describedby={d.describedBy} {...input} />
    </div>
  );
}
