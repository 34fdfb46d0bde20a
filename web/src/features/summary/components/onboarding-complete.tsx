import { useEffect, useRef } from "react";
import { Link } from "wouter";
import { paths } from "@/shared/paths";

/** The last screen: the onboarding is complete (POST /complete answered). */
export function OnboardingComplete({ completedAt }: { readonly completedAt: string | null }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = "Onboarding complete · Onboarding";
    heading.current?.focus();
  }, []);
  const when = completedAt === null ? null : new Date(completedAt);
  return (
    <section className="card done" aria-labelledby="done-title">
      <div className="done-mark" aria-hidden="true">
        ✓
      </div>
      <h1 id="done-title" ref={heading} tabIndex={-1}>
        Onboarding complete
      </h1>
      <p className="lead">Your workspace knows your keys, your style, your research habits and your persona. You are ready to write.</p>
      {when !== null && (
        <p className="muted">
          Finished on <time dateTime={completedAt ?? undefined}>{when.toLocaleString()}</time>.
        </p>
      )}
      <p>
        <Link href={paths.step(6)} className="button button-secondary">
          Review your setup
        </Link>
      </p>
    </section>
  );
}
