import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, type FormEventHandler, type ReactNode } from "react";
import type { JsonObject } from "@server/onboarding/onboarding-record";
import { STEP_CATALOGUE, STEP_NUMBERS, type StepNumber } from "@server/onboarding/step-catalogue";
import { stepQuery } from "@/shared/api/steps/get-step";
import { Button } from "@/shared/components/button";
import { AlertRegion } from "@/shared/components/status-notes";

/** What the app hands every step screen: where Back and Continue lead. */
export interface StepNavigation {
  readonly goBack: () => void;
  readonly goNext: () => void;
}

interface StepFrameProps {
  readonly stepNumber: StepNumber;
  readonly intro: ReactNode;
  readonly alert?: string | undefined;
  readonly onSubmit: FormEventHandler<HTMLFormElement>;
  readonly onBack?: (() => void) | undefined;
  readonly onSkip?: (() => void) | undefined;
  readonly submitLabel?: string;
  readonly busy?: boolean;
  readonly skipping?: boolean;
  readonly children: ReactNode;
}

/**
 * One step's page: its heading (focused when the step opens, so keyboard and screen reader users
 * start at the top), the alert region, the form, and Back / Skip / Continue.
 */
export function StepFrame(props: StepFrameProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The step's exact title (SPEC §1) is the page's heading.
  const { title } = STEP_CATALOGUE[props.stepNumber];
  useEffect(() => {
    document.title = `${title} · Onboarding`;
    heading.current?.focus();
  }, [title]);

  return (
    <section className="step card" aria-labelledby="step-title">
      <p className="eyebrow">
        Step {props.stepNumber} of {STEP_NUMBERS.length}
      </p>
      <h1 id="step-title" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <div className="lead">{props.intro}</div>
      <AlertRegion message={props.alert} />
      <form noValidate onSubmit={props.onSubmit} className="step-form">
        {props.children}
        <div className="actions">
          {props.onBack !== undefined && <Button onClick={props.onBack}>Back</Button>}
          <span className="actions-spacer" />
          {props.onSkip !== undefined && (
            <Button variant="quiet" onClick={props.onSkip} busy={props.skipping === true}>
              Skip
            </Button>
          )}
          <Button type="submit" variant="primary" busy={props.busy === true}>
            {props.submitLabel ?? "Continue"}
          </Button>
        </div>
      </form>
    </section>
  );
}

/** While a step's saved data loads, or when it cannot. */
export function StepPlaceholder({ error, onRetry }: { readonly error?: string | undefined; readonly onRetry?: () => void }) {
  if (error !== undefined) {
    return (
      <section className="step card">
        <AlertRegion message={error}>{onRetry !== undefined && <Button onClick={onRetry}>Try again</Button>}</AlertRegion>
      </section>
    );
  }
  return (
    <section className="step card" aria-busy="true">
      <p role="status" className="loading">
        <span className="spinner" aria-hidden="true" /> Loading your saved answers…
      </p>
    </section>
  );
}

/**
 * Loads what step `stepNumber` saved (GET /step/{n}) and renders `children` with it once known,
 * read by `read` (the step's schema, usually; null when nothing valid is saved): a form's
 * default values are set once, from the server.
 */
export function WithSavedStep<Saved>({
  stepNumber,
  read,
  children,
}: {
  readonly stepNumber: StepNumber;
  readonly read: (data: JsonObject | null) => Saved;
  readonly children: (saved: Saved) => ReactNode;
}) {
  const step = useQuery(stepQuery(stepNumber));
  if (step.isError) return <StepPlaceholder error={step.error.message} onRetry={() => void step.refetch()} />;
  if (step.data === undefined) return <StepPlaceholder />;
  return children(read(step.data.data));
}
