import type { ReactNode } from "react";

/**
 * The page's one alert region for errors that belong to no field. It is always in the page
 * (empty until needed), so screen readers announce a message as it appears.
 */
export function AlertRegion({ message, children }: { readonly message?: string | undefined; readonly children?: ReactNode }) {
  const hasContent = message !== undefined || children !== undefined;
  return (
    <div role="alert" className={hasContent ? "alert" : "alert-empty"}>
      {message !== undefined && <p>{message}</p>}
      {children}
    </div>
  );
}

/** Visible progress for work that takes a while (analysis, generation), announced politely. */
export function BusyNote({ children }: { readonly children: ReactNode }) {
  return (
    <div role="status" className="busy-note">
      <div className="busy-track" aria-hidden="true">
        <div className="busy-bar" />
      </div>
      <p>{children}</p>
    </div>
  );
}

/** A 0-100 score as a labelled bar with a one-line reason. */
export function ScoreBar({ label, value, reason }: { readonly label: string; readonly value: number; readonly reason?: string | undefined }) {
  const clamped = Math.max(0, Math.min(100, value));
  return (
    <div className="score">
      <div className="score-head">
        <span className="score-label">{label}</span>
        <span className="score-value">{Number.isInteger(clamped) ? clamped : clamped.toFixed(1)}</span>
      </div>
      <div role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={clamped} className="score-track">
        <div className="score-fill" style={{ width: `${clamped}%` }} />
      </div>
      {reason !== undefined && <p className="score-reason">{reason}</p>}
    </div>
  );
}

/** A whole page on its way (the session, the sign-in): never a blank screen. */
export function PageLoading({ children = "Loading…" }: { readonly children?: ReactNode }) {
  return (
    <p role="status" className="booting">
      <span className="spinner" aria-hidden="true" /> {children}
    </p>
  );
}
