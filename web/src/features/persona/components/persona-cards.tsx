import type { FieldErrors, FieldValues, UseFormRegister } from "react-hook-form";
import { get } from "react-hook-form";
import type { JsonObject } from "@server/onboarding/onboarding-record";
import type { PersonaData } from "@server/steps/persona/persona-schema";
import { CORE_FIELDS, METRIC_NOTES, PLATFORM_FIELDS } from "@/features/persona/components/persona-fields";
import { EditableFields } from "@/shared/components/editable-fields";
import { Facts } from "@/shared/components/facts";
import { platformLabel } from "@/shared/labels";
import { ScoreBar } from "@/shared/components/status-notes";

interface CardsProps {
  readonly persona: PersonaData;
  readonly register: UseFormRegister<FieldValues>;
  readonly errors: FieldErrors;
}

/** The generated persona: its quality, the core voice and one card per platform, the main fields editable. */
export function PersonaCards({ persona, register, errors }: CardsProps) {
  return (
    <div className="persona">
      <section className="quality" aria-labelledby="quality-title">
        <h2 id="quality-title" className="subheading">
          Quality
        </h2>
        <div className="scores">
          {Object.entries(persona.qualityMetrics).map(([name, value]) => (
            <ScoreBar key={name} label={METRIC_NOTES[name]?.label ?? name} value={value} reason={METRIC_NOTES[name]?.reason} />
          ))}
        </div>
      </section>

      <fieldset className="persona-card persona-core">
        <legend>Core persona</legend>
        <Facts
          facts={[
            ["Default tone", get(persona.corePersona, "tone.default_tone")],
            ["Vocabulary", get(persona.corePersona, "vocabulary_level")],
            ["Audience", get(persona.corePersona, "audience.primary")],
          ]}
        />
        <EditableFields name="core" source={persona.corePersona} fields={CORE_FIELDS} register={register} errors={errors} />
      </fieldset>

      <div className="platform-cards">
        {persona.selectedPlatforms.map((platform) => {
          const card = (persona.platformPersonas[platform] ?? {}) as JsonObject;
          return (
            <fieldset key={platform} className="persona-card">
              <legend>{platformLabel(platform)}</legend>
              <Facts
                facts={[
                  ["Length", wordRange(card)],
                  ["Hashtags", get(card, "hashtags.strategy")],
                ]}
              />
              <EditableFields name={`platforms.${platform}`} source={card} fields={PLATFORM_FIELDS} register={register} errors={errors} />
            </fieldset>
          );
        })}
      </div>
    </div>
  );
}

function wordRange(card: JsonObject): string | undefined {
  const min: unknown = get(card, "length.min_words");
  const max: unknown = get(card, "length.max_words");
  return typeof min === "number" && typeof max === "number" ? `${min}–${max} words` : undefined;
}
