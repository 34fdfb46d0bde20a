import { useId, type InputHTMLAttributes, type ReactNode, type Ref, type TextareaHTMLAttributes } from "react";

interface FieldFrameProps {
  readonly label: ReactNode;
  readonly hint?: ReactNode;
  readonly error?: string | undefined;
  readonly className?: string;
}

/** Ids tying a field to its hint and error, as aria-describedby wants them. */
export function useDescription(hint: ReactNode, error: string | undefined) {
  const id = useId();
  const hintId = hint === undefined ? undefined : `${id}-hint`;
  const errorId = error === undefined ? undefined : `${id}-error`;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return { id, hintId, errorId, describedBy, invalid: error === undefined ? undefined : ("true" as const) };
}

type Description = ReturnType<typeof useDescription>;

export function FieldError({ id, message }: { readonly id: string | undefined; readonly message: string | undefined }) {
  if (message === undefined) return null;
  return (
    <p id={id} className="field-error">
      <span aria-hidden="true">! </span>
      {message}
    </p>
  );
}

/** Label, hint, the control, then its error: the control gets the ids through `d`. */
function FieldFrame({ label, hint, error, className, d, children }: FieldFrameProps & { readonly d: Description; readonly children: ReactNode }) {
  return (
    <div className={["field", className].filter(Boolean).join(" ")}>
      <label htmlFor={d.id}>{label}</label>
      {hint !== undefined && (
        <p id={d.hintId} className="hint">
          {hint}
        </p>
      )}
      {children}
      <FieldError id={d.errorId} message={error} />
    </div>
  );
}

type TextFieldProps = FieldFrameProps &
  InputHTMLAttributes<HTMLInputElement> & {
    readonly ref?: Ref<HTMLInputElement>;
    /** A button beside the input (Analyze, Save key, Add), kept level with it whatever the hint or error. */
    readonly trailing?: ReactNode;
  };

/** A labelled input; with an error it is aria-invalid and its message is tied by aria-describedby. */
export function TextField({ label, hint, error, className, trailing, ...input }: TextFieldProps) {
  const d = useDescription(hint, error);
  const control = <input id={d.id} aria-invalid={d.invalid} aria-describedby={d.describedBy} {...input} />;
  return (
    <FieldFrame label={label} hint={hint} error={error} className={className} d={d}>
      {trailing === undefined ? (
        control
      ) : (
        <div className="input-row">
          {control}
          {trailing}
        </div>
      )}
    </FieldFrame>
  );
}

type TextAreaFieldProps = FieldFrameProps & TextareaHTMLAttributes<HTMLTextAreaElement> & { readonly ref?: Ref<HTMLTextAreaElement> };

export function TextAreaField({ label, hint, error, className, ...textarea }: TextAreaFieldProps) {
  const d = useDescription(hint, error);
  return (
    <FieldFrame label={label} hint={hint} error={error} className={className} d={d}>
      <textarea id={d.id} aria-invalid={d.invalid} aria-describedby={d.describedBy} {...textarea} />
    </FieldFrame>
  );
}
