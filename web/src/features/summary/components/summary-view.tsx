import type { ReactNode } from "react";
import { get } from "react-hook-form";
import { Link } from "wouter";
import type { StepView } from "@server/onboarding/onboarding-view";
import { isDone } from "@server/onboarding/step-rules";
import type { Summary } from "@/features/summary/api/get-summary";
import { Facts } from "@/shared/components/facts";
import { KeyMask } from "@/shared/components/key-mask";
import { integrationLabel, platformLabel, type IntegrationList } from "@/shared/labels";
import { paths } from "@/shared/paths";

export interface SummaryViewProps {
  readonly summary: Summary;
  readonly steps: readonly Pick<StepView, "step_number" | "title" | "status">[];
  readonly providerLabel: (provider: string) => string;
}

const CAPABILITIES: readonly [keyof Summary["capabilities_overview"], string][] = [
  ["ai_content_generation", "AI content generation"],
  ["website_analysis", "Website analysis"],
  ["research_capabilities", "Research"],
  ["persona_generation", "Persona generation"],
  ["content_optimization", "Content optimization"],
];

/** What `persona_readiness.missing_data` names, as the step that provides it. */
const PROVIDED_BY: Readonly<Record<string, number>> = { api_keys: 1, website_analysis: 2, research_preferences: 3 };

/** Step 6: everything steps 1-5 saved, laid out for a person, with what is still missing. */
export function SummaryView({ summary, steps, providerLabel }: SummaryViewProps) {
  const research = summary.research_preferences;
  const persona = summary.persona;
  const integrations = summary.integrations;
  const stepFive = steps.find((step) => step.step_number === 5);
  return (
    <div className="summary">
      <Missing summary={summary} steps={steps} />
      <div className="summary-grid">
        <Card title="AI providers" step={1}>
          <p>{summary.api_keys.count === 1 ? "1 key saved" : `${summary.api_keys.count} keys saved`}</p>
          {summary.api_keys.providers.length > 0 && (
            <ul className="key-list">
              {summary.api_keys.providers.map(({ provider, masked }) => (
                <li key={provider}>
                  <span>{providerLabel(provider)}</span> <KeyMask masked={masked} />
                </li>
              ))}
            </ul>
          )}
        </Card>

        <Card title="Website" step={2}>
          {summary.website_url === null ? (
            <p className="muted">No website yet.</p>
          ) : (
            <p className="break">{summary.website_url}</p>
          )}
          <Facts
            facts={[
              ["Tone", get(summary.style_analysis, "writing_style.tone")],
              ["Voice", get(summary.style_analysis, "writing_style.voice")],
              ["Audience", get(summary.style_analysis, "target_audience.primary")],
              ["Content type", get(summary.style_analysis, "content_type.primary")],
            ]}
          />
        </Card>

        <Card title="Research" step={3}>
          {research === null ? (
            <p className="muted">No preferences yet.</p>
          ) : (
            <Facts
              facts={[
                ["Depth", research.research_depth],
                ["Content types", Array.isArray(research.content_types) ? research.content_types.join(", ") : undefined],
                ["Auto research", onOff(research.auto_research)],
                ["Factual content", onOff(research.factual_content)],
              ]}
            />
          )}
        </Card>

        <Card title="Persona" step={4}>
          {persona === null ? (
            <p className="muted">No persona yet.</p>
          ) : (
            <Facts
              facts={[
                ["Name", get(persona.corePersona, "persona_name")],
                ["Archetype", get(persona.corePersona, "archetype")],
                ["Platforms", persona.selectedPlatforms.map(platformLabel).join(", ")],
                ["Overall quality", typeof persona.qualityMetrics.overall === "number" ? `${Math.round(persona.qualityMetrics.overall)} / 100` : undefined],
              ]}
            />
          )}
        </Card>

        <Card title="Integrations" step={5}>
          {integrations === null ? (
            <p className="muted">{stepFive?.status === "skipped" ? "Skipped for now." : "None chosen yet."}</p>
          ) : (
            <Facts
              facts={[
                ["Website", listOf("website_platforms", integrations.website_platforms)],
                ["Analytics", listOf("analytics_platforms", integrations.analytics_platforms)],
                ["Social", listOf("social_platforms", integrations.social_platforms)],
                ["Primary website", integrations.primary_website],
              ]}
            />
          )}
        </Card>

        <Card title="Capabilities">
          <ul className="checklist">
            {CAPABILITIES.map(([key, label]) => {
              const ready = summary.capabilities_overview[key];
              return (
                <li key={key} className={ready ? "ready" : "not-ready"}>
                  <span className="check" aria-hidden="true">
                    {ready ? "✓" : "–"}
                  </span>
                  {label}
                  <span className="sr-only">{ready ? ": ready" : ": not set up yet"}</span>
                </li>
              );
            })}
          </ul>
        </Card>
      </div>
    </div>
  );
}

/** The steps still to do (and what the persona lacks), each with a link to its step. */
function Missing({ summary, steps }: Pick<SummaryViewProps, "summary" | "steps">) {
  const open = steps.filter((step) => step.step_number < 6 && !isDone(step)).map((step) => step.step_number);
  const lacking = summary.persona_readiness.missing_data.map((name) => PROVIDED_BY[name]).filter((n): n is number => n !== undefined);
  const missing = [...new Set([...open, ...lacking])].sort();
  if (missing.length === 0) {
    return <p className="notice notice-success">Everything is in place. Finish onboarding to start writing.</p>;
  }
  return (
    <section className="notice notice-warning" aria-labelledby="missing-title">
      <h2 id="missing-title" className="subheading">
        Still missing
      </h2>
      <ul>
        {missing.map((n) => {
          const title = steps.find((step) => step.step_number === n)?.title ?? `Step ${n}`;
          return (
            <li key={n}>
              <Link href={paths.step(n)}>{title}</Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Card({ title, step, children }: { readonly title: string; readonly step?: number; readonly children: ReactNode }) {
  return (
    <section className="summary-card" aria-label={title}>
      <div className="summary-card-head">
        <h2>{title}</h2>
        {step !== undefined && (
          <Link href={paths.step(step)} className="edit-link" aria-label={`Edit ${title}`}>
            Edit
          </Link>
        )}
      </div>
      {children}
    </section>
  );
}

function onOff(value: unknown): string | undefined {
  return typeof value === "boolean" ? (value ? "On" : "Off") : undefined;
}

function listOf(list: IntegrationList, value: unknown): string {
  const names = Array.isArray(value) ? value.filter((name): name is string => typeof name === "string") : [];
  return names.length > 0 ? names.map((name) => integrationLabel(list, name)).join(", ") : "None";
}
