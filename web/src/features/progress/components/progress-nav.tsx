import { useId } from "react";
import { Link } from "wouter";
import { stepAccess, type StepAccess, type StepSummary } from "@/features/progress/step-access";
import { paths } from "@/shared/paths";

export interface ProgressNavProps {
  readonly steps: readonly StepSummary[];
  /** The step on screen: `aria-current="step"`. */
  readonly viewing: number | null;
  readonly percentage: number;
}

const STATE_TEXT: Readonly<Record<StepAccess, string>> = { done: "Done", open: "To do", locked: "Locked" };

/**
 * The wizard's progress: the six steps with the completion percentage. Done steps open to edit,
 * the next one is open, later ones are locked: not links at all, and `aria-disabled`.
 */
export function ProgressNav({ steps, viewing, percentage }: ProgressNavProps) {
  const rounded = Math.round(percentage);
  const id = useId();
  return (
    <nav aria-label="Onboarding progress" className="progress">
      <div className="progress-head">
        <span className="progress-caption">Your setup</span>
        <span className="progress-figure">{rounded}% complete</span>
      </div>
      <div role="progressbar" aria-label="Completion" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percentage} className="progress-track">
        <div className="progress-fill" style={{ width: `${percentage}%` }} />
      </div>
      <ol className="progress-steps">
        {steps.map((step) => {
          const access = stepAccess(steps, step.step_number);
          const skipped = step.status === "skipped";
          const stateId = `${id}-${step.step_number}`;
          const className = `progress-step is-${access}${viewing === step.step_number ? " is-viewing" : ""}`;
          // The link's name is the step's exact title; its state (beside it) is its description.
          const content = (
            <>
              <span className="step-marker" aria-hidden="true">
                {access === "done" ? (skipped ? "–" : "✓") : step.step_number}
              </span>
              <span className="step-title">{step.title}</span>
            </>
          );
          return (
            <li key={step.step_number} className={className}>
              {access === "locked" ? (
                <a role="link" aria-disabled="true" aria-describedby={stateId} className="step-link">
                  {content}
                </a>
              ) : (
                <Link
                  href={paths.step(step.step_number)}
                  className="step-link"
                  aria-current={viewing === step.step_number ? "step" : undefined}
                  aria-describedby={stateId}
                >
                  {content}
                </Link>
              )}
              <span className="step-state" id={stateId}>
                {skipped ? "Skipped" : STATE_TEXT[access]}
              </span>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
