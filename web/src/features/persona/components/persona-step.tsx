import { useState, type FormEvent } from "react";
import { useForm, type FieldValues, type UseFormRegister } from "react-hook-form";
import { PERSONA_PLATFORMS, personaStepSchema, type PersonaData } from "@server/steps/persona/persona-schema";
import { useGeneratePersona } from "@/features/persona/api/generate-persona";
import { PersonaCards } from "@/features/persona/components/persona-cards";
import { CORE_FIELDS, PLATFORM_FIELDS } from "@/features/persona/components/persona-fields";
import { useCompleteStep } from "@/shared/api/steps/complete-step";
import { Button } from "@/shared/components/button";
import { Choice, ChoiceGroup } from "@/shared/components/choice-group";
import { BusyNote } from "@/shared/components/status-notes";
import { StepFrame, WithSavedStep, type StepNavigation } from "@/shared/components/step-frame";
import { editedTexts, withEditedTexts, type EditedTexts } from "@/shared/forms/editable-fields";
import { schemaResolver } from "@/shared/forms/schema-resolver";
import { fieldError, formAlert, showServerError } from "@/shared/forms/server-errors";
import { llmSourceSentence, platformLabel } from "@/shared/labels";

interface Values {
  selectedPlatforms: string[];
  core: EditedTexts;
  platforms: Record<string, EditedTexts>;
}

const FIRST_CHOICE = ["linkedin", "blog"];

/** Step 4: platforms, then a persona generated from steps 2-3, readable and editable. */
export function PersonaStep(navigation: StepNavigation) {
  return (
    <WithSavedStep stepNumber={4} read={(data) => personaStepSchema.safeParse(data).data ?? null}>
      {(saved) => <PersonaForm saved={saved} {...navigation} />}
    </WithSavedStep>
  );
}

function texts(persona: PersonaData | null): Pick<Values, "core" | "platforms"> {
  if (persona === null) return { core: {}, platforms: {} };
  return {
    core: editedTexts(persona.corePersona, CORE_FIELDS),
    platforms: Object.fromEntries(Object.entries(persona.platformPersonas).map(([p, card]) => [p, editedTexts(card, PLATFORM_FIELDS)])),
  };
}

/** Step 4's payload: the persona as generated, with the person's edits. */
function withEdits(persona: PersonaData, values: Values): PersonaData {
  return {
    corePersona: withEditedTexts(persona.corePersona, CORE_FIELDS, values.core),
    platformPersonas: Object.fromEntries(
      Object.entries(persona.platformPersonas).map(([p, card]) => [p, withEditedTexts(card, PLATFORM_FIELDS, values.platforms[p])]),
    ),
    qualityMetrics: persona.qualityMetrics,
    selectedPlatforms: persona.selectedPlatforms,
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((item) => b.includes(item));

function PersonaForm({ saved, goBack, goNext }: { saved: PersonaData | null } & StepNavigation) {
  const [persona, setPersona] = useState(saved);
  const form = useForm<Values>({
    defaultValues: { selectedPlatforms: saved?.selectedPlatforms ?? FIRST_CHOICE, ...texts(saved) },
    resolver: schemaResolver<Values>(personaStepSchema, ["selectedPlatforms", "core", "platforms"], (values) =>
      persona === null ? { selectedPlatforms: values.selectedPlatforms } : withEdits(persona, values),
    ),
  });
  const generate = useGeneratePersona();
  const complete = useCompleteStep(4);
  const chosen = form.watch("selectedPlatforms");
  const platforms = [...new Set([...PERSONA_PLATFORMS, ...chosen])];

  async function generatePersona() {
    form.clearErrors("root");
    if (!(await form.trigger("selectedPlatforms", { shouldFocus: true }))) return;
    try {
      const { corePersona, platformPersonas, qualityMetrics, selectedPlatforms } = await generate.mutateAsync(form.getValues("selectedPlatforms"));
      const fresh = { corePersona, platformPersonas, qualityMetrics, selectedPlatforms };
      setPersona(fresh);
      const edited = texts(fresh);
      form.setValue("core", edited.core);
      form.setValue("platforms", edited.platforms);
    } catch (error) {
      showServerError(form, error, ["selectedPlatforms"]);
    }
  }

  const submit = form.handleSubmit(async (values) => {
    if (persona === null) return;
    try {
      await complete.mutateAsync(withEdits(persona, values));
      goNext();
    } catch (error) {
      showServerError(form, error, ["selectedPlatforms", "core", "platforms"]);
    }
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    if (persona === null || !sameSet(chosen, persona.selectedPlatforms)) {
      event.preventDefault();
      const message =
        persona === null
          ? "Generate your persona first: choose your platforms, then select Generate persona."
          : "You changed the platforms since the persona was generated. Generate it again so that every card matches.";
      form.setError("root.server", { type: "client", message });
      return;
    }
    void submit(event);
  }

  const platformsError = fieldError(form.formState.errors, "selectedPlatforms");
  return (
    <StepFrame
      stepNumber={4}
      intro={<p>We turn your website analysis and research preferences into a writing persona, with a card for each platform you publish on.</p>}
      alert={formAlert(form.formState.errors)}
      onSubmit={onSubmit}
      onBack={goBack}
      busy={complete.isPending}
    >
      <ChoiceGroup legend="Platforms" hint="Where you publish. Each gets its own card." error={platformsError}>
        {platforms.map((platform) => (
          <Choice key={platform} type="checkbox" value={platform} label={platformLabel(platform)} invalid={platformsError !== undefined} {...form.register("selectedPlatforms")} />
        ))}
      </ChoiceGroup>
      <div className="generate-row">
        <Button variant={persona === null ? "primary" : "secondary"} onClick={() => void generatePersona()} busy={generate.isPending}>
          {generate.isPending ? "Generating…" : "Generate persona"}
        </Button>
        {persona !== null && !generate.isPending && <span className="hint">Generating again replaces the persona below, edits included.</span>}
      </div>
      {generate.isPending && <BusyNote>Writing your persona from your website and research preferences…</BusyNote>}
      {llmSourceSentence(generate.data?.llm_provider) !== null && <p className="hint">{llmSourceSentence(generate.data?.llm_provider)}</p>}
      {generate.data?.warnings?.map((warning) => (
        <p key={warning} className="hint">
          {warning}
        </p>
      ))}
      {persona !== null && !generate.isPending && (
        <PersonaCards persona={persona} register={form.register as unknown as UseFormRegister<FieldValues>} errors={form.formState.errors} />
      )}
    </StepFrame>
  );
}
