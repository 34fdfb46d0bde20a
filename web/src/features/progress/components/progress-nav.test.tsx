import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ProgressNav } from "@/features/progress/components/progress-nav";
import { renderPage } from "@/testing/render";
import type { StepSummary } from "@/features/progress/step-access";

const TITLES = ["AI LLM Providers", "Website Analysis", "AI Research", "Personalization", "Integrations", "Complete Setup"];

function steps(statuses: readonly StepSummary["status"][]): StepSummary[] {
  return statuses.map((status, index) => ({ step_number: index + 1, title: TITLES[index] as string, status }));
}

describe("ProgressNav", () => {
  it("lists the six exact titles with the percentage: done steps open, the current one marked, later ones locked", () => {
    renderPage(<ProgressNav steps={steps(["completed", "in_progress", "pending", "pending", "pending", "pending"])} viewing={2} percentage={16.7} />);
    const nav = screen.getByRole("navigation", { name: "Onboarding progress" });
    expect(within(nav).getByText("17% complete")).toBeInTheDocument();
    expect(within(nav).getByRole("progressbar", { name: "Completion" })).toHaveAttribute("aria-valuenow", "16.7");
    const entries = within(nav).getAllByRole("link");
    expect(entries.map((entry) => entry.textContent)).toEqual(TITLES.map((title, i) => (i === 0 ? "✓" : String(i + 1)) + title));

    const done = within(nav).getByRole("link", { name: "AI LLM Providers" });
    expect(done).toHaveAttribute("href", "/step/1");
    expect(done).not.toHaveAttribute("aria-current");
    expect(done).toHaveAccessibleDescription("Done");

    const current = within(nav).getByRole("link", { name: "Website Analysis" });
    expect(current).toHaveAttribute("aria-current", "step");
    expect(current).toHaveAttribute("href", "/step/2");

    for (const title of TITLES.slice(2)) {
      const locked = within(nav).getByRole("link", { name: title });
      expect(locked).toHaveAttribute("aria-disabled", "true");
      expect(locked).not.toHaveAttribute("href");
      expect(locked).toHaveAccessibleDescription("Locked");
    }
  });

  it("marks the step on screen, a done one included; a skipped step 5 opens step 6", () => {
    renderPage(<ProgressNav steps={steps(["completed", "completed", "completed", "completed", "skipped", "pending"])} viewing={1} percentage={83.3} />);
    expect(screen.getByRole("link", { name: "AI LLM Providers" })).toHaveAttribute("aria-current", "step");
    expect(screen.getByRole("link", { name: "Integrations" })).toHaveAccessibleDescription("Skipped");
    const last = screen.getByRole("link", { name: "Complete Setup" });
    expect(last).toHaveAttribute("href", "/step/6");
    expect(last).not.toHaveAttribute("aria-disabled");
  });
});
