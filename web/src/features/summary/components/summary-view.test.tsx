import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Summary } from "@/features/summary/api/get-summary";
import { SummaryView } from "@/features/summary/components/summary-view";
import { renderPage } from "@/testing/render";

const STEPS = [
  { step_number: 1, title: "AI LLM Providers", status: "completed" as const },
  { step_number: 2, title: "Website Analysis", status: "completed" as const },
  { step_number: 3, title: "AI Research", status: "completed" as const },
  { step_number: 4, title: "Personalization", status: "in_progress" as const },
  { step_number: 5, title: "Integrations", status: "pending" as const },
  { step_number: 6, title: "Complete Setup", status: "pending" as const },
];

const SUMMARY: Summary = {
  user_id: "user_2abc",
  onboarding: { is_completed: false, current_step: 4, completion_percentage: 50, next_step: 5, started_at: null, completed_at: null, can_proceed_to_final: false },
  api_keys: { count: 2, providers: [{ provider: "openai", masked: "*************1234" }, { provider: "exa", masked: "********abcd" }] },
  website_url: "https://acme.example",
  style_analysis: { writing_style: { tone: "friendly", voice: "we" }, target_audience: { primary: "developers" }, content_type: { primary: "docs" } },
  research_preferences: { research_depth: "Comprehensive", content_types: ["Blog posts", "Newsletters"], auto_research: true, factual_content: false },
  persona: null,
  integrations: null,
  persona_readiness: { ready: true, reason: "Every input a persona needs is saved", missing_data: [] },
  capabilities_overview: { ai_content_generation: true, website_analysis: true, research_capabilities: true, persona_generation: false, content_optimization: false },
  personalization_settings: null,
  configuration_and_capabilities: {
    capabilities_overview: { ai_content_generation: true, website_analysis: true, research_capabilities: true, persona_generation: false, content_optimization: false },
  },
  onboarding_type: "website",
};

describe("SummaryView", () => {
  it("lays out what steps 1-5 saved for a person: keys masked, site, style, research, and the capabilities", () => {
    const labels: Record<string, string> = { openai: "OpenAI", exa: "Exa" };
    renderPage(<SummaryView summary={SUMMARY} steps={STEPS} providerLabel={(p) => labels[p] ?? p} />);
    const keys = screen.getByRole("region", { name: "AI providers" });
    expect(within(keys).getByText("2 keys saved")).toBeInTheDocument();
    expect(within(keys).getByText("OpenAI")).toBeInTheDocument();
    expect(within(keys).getByText("••••••••1234")).toBeInTheDocument();
    expect(within(keys).getByText("••••••••abcd")).toBeInTheDocument();
    expect(within(keys).getByRole("link", { name: "Edit AI providers" })).toHaveAttribute("href", "/step/1");

    const website = screen.getByRole("region", { name: "Website" });
    expect(within(website).getByText("https://acme.example")).toBeInTheDocument();
    expect(within(website).getByText("friendly")).toBeInTheDocument();
    expect(within(website).getByText("developers")).toBeInTheDocument();

    const research = screen.getByRole("region", { name: "Research" });
    expect(within(research).getByText("Comprehensive")).toBeInTheDocument();
    expect(within(research).getByText("Blog posts, Newsletters")).toBeInTheDocument();
    expect(within(research).getByText("Off")).toBeInTheDocument();

    expect(within(screen.getByRole("region", { name: "Persona" })).getByText("No persona yet.")).toBeInTheDocument();
    const capabilities = within(screen.getByRole("region", { name: "Capabilities" })).getAllByRole("listitem");
    expect(capabilities.map((item) => item.textContent)).toEqual([
      "✓AI content generation: ready",
      "✓Website analysis: ready",
      "✓Research: ready",
      "–Persona generation: not set up yet",
      "–Content optimization: not set up yet",
    ]);
  });

  it("lists what is still missing, each with a link to its step", () => {
    renderPage(<SummaryView summary={SUMMARY} steps={STEPS} providerLabel={(p) => p} />);
    const missing = screen.getByRole("region", { name: "Still missing" });
    expect(within(missing).getAllByRole("link").map((link) => [link.textContent, link.getAttribute("href")])).toEqual([
      ["Personalization", "/step/4"],
      ["Integrations", "/step/5"],
    ]);
  });

  it("says the user is ready once every step is done", () => {
    const done = STEPS.map((step) => (step.step_number < 6 ? { ...step, status: step.step_number === 5 ? ("skipped" as const) : ("completed" as const) } : step));
    renderPage(<SummaryView summary={SUMMARY} steps={done} providerLabel={(p) => p} />);
    expect(screen.queryByRole("region", { name: "Still missing" })).toBeNull();
    expect(screen.getByText(/Everything is in place/)).toBeInTheDocument();
    expect(within(screen.getByRole("region", { name: "Integrations" })).getByText("Skipped for now.")).toBeInTheDocument();
  });
});
