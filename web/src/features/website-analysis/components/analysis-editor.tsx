import type { FieldErrors, FieldValues, UseFormRegister } from "react-hook-form";
import type { JsonObject, JsonValue } from "@server/onboarding/onboarding-record";
import { ANALYSIS_SECTIONS } from "@/features/website-analysis/components/analysis-sections";
import { EditableFields } from "@/shared/components/editable-fields";
import { llmSourceSentence } from "@/shared/labels";

interface AnalysisEditorProps {
  readonly analysis: JsonObject;
  readonly register: UseFormRegister<FieldValues>;
  readonly errors: FieldErrors;
}

/** The analysis as sections a person reads and corrects, with what the site does well beside it. */
export function AnalysisEditor({ analysis, register, errors }: AnalysisEditorProps) {
  const byHand = Object.keys(analysis).length === 0;
  return (
    <div className="analysis">
      {typeof analysis.warning_message === "string" && <p className="hint">{analysis.warning_message}</p>}
      {llmSourceSentence(analysis.llm_provider) !== null && <p className="hint">{llmSourceSentence(analysis.llm_provider)}</p>}
      {byHand && <p className="hint">Describe your writing in your own words: fill in what you know and leave the rest empty.</p>}
      <div className="analysis-grid">
        {ANALYSIS_SECTIONS.map((section) => (
          <fieldset key={section.key} className={`analysis-section${section.fields.some((f) => f.list === true) ? " analysis-section-wide" : ""}`}>
            <legend>{section.title}</legend>
            <EditableFields
              name={`analysis.${section.key}`}
              source={(analysis[section.key] as JsonObject | undefined) ?? {}}
              fields={section.fields}
              register={register}
              errors={errors}
            />
          </fieldset>
        ))}
      </div>
      <Insights analysis={analysis} />
    </div>
  );
}

function texts(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** Read-only: what the site does well and what it could do better. */
function Insights({ analysis }: { readonly analysis: JsonObject }) {
  const insights = (analysis.content_strategy_insights as JsonObject | undefined) ?? {};
  const lists = [
    { title: "What works well", items: texts(insights.strengths) },
    { title: "Opportunities", items: texts(insights.opportunities) },
  ].filter((list) => list.items.length > 0);
  if (lists.length === 0) return null;
  return (
    <div className="insights">
      {lists.map((list) => (
        <div key={list.title}>
          <h2 className="subheading">{list.title}</h2>
          <ul>
            {list.items.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
