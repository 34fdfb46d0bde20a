import { useState, type KeyboardEvent } from "react";
import { useForm } from "react-hook-form";
import { RESEARCH_DEPTHS, researchPreferencesStepSchema, type ResearchPreferences } from "@server/steps/research-preferences/research-preferences-schema";
import { useCompleteStep } from "@/shared/api/steps/complete-step";
import { Button } from "@/shared/components/button";
import { Choice, ChoiceGroup, Switch } from "@/shared/components/choice-group";
import { StepFrame, WithSavedStep, type StepNavigation } from "@/shared/components/step-frame";
import { TextField } from "@/shared/components/text-field";
import { schemaResolver } from "@/shared/forms/schema-resolver";
import { fieldError, formAlert, showServerError } from "@/shared/forms/server-errors";

type Values = ResearchPreferences & { new_type: string };

const DEPTH_NOTES: Readonly<Record<string, string>> = {
  Basic: "Quick facts from a few sources",
  Standard: "Main points backed by reputable sources",
  Comprehensive: "Several angles, statistics and more sources",
  Expert: "In-depth research with primary sources and data",
};

const COMMON_TYPES = ["Blog posts", "Social media posts", "Newsletters", "Case studies", "Whitepapers", "Product descriptions", "Video scripts", "Landing pages"];

const STARTING_POINT: ResearchPreferences = { research_depth: "Standard", content_types: ["Blog posts"], auto_research: true, factual_content: true };

const FIELDS = ["research_depth", "content_types", "auto_research", "factual_content"];

/** Step 3: how deep research goes, what gets written, and two switches. */
export function ResearchStep(navigation: StepNavigation) {
  return (
    <WithSavedStep stepNumber={3} read={(data) => researchPreferencesStepSchema.safeParse(data).data ?? STARTING_POINT}>
      {(start) => <ResearchForm start={start} {...navigation} />}
    </WithSavedStep>
  );
}

function ResearchForm({ start, goBack, goNext }: { start: ResearchPreferences } & StepNavigation) {
  const form = useForm<Values>({
    defaultValues: { ...start, new_type: "" },
    resolver: schemaResolver<Values>(researchPreferencesStepSchema, FIELDS, ({ new_type: _typing, ...preferences }) => preferences),
  });
  const [types, setTypes] = useState(() => [...new Set([...COMMON_TYPES, ...start.content_types])]);
  const complete = useCompleteStep(3);
  const errors = form.formState.errors;

  function addType() {
    const typed = form.getValues("new_type").trim();
    if (typed === "") return;
    // A type already listed (whatever its case) is checked rather than added twice.
    const existing = types.find((type) => type.toLowerCase() === typed.toLowerCase());
    if (existing === undefined) setTypes([...types, typed]);
    const chosenType = existing ?? typed;
    const chosen = form.getValues("content_types");
    if (!chosen.includes(chosenType)) form.setValue("content_types", [...chosen, chosenType], { shouldValidate: form.formState.isSubmitted });
    form.setValue("new_type", "");
  }

  function addOnEnter(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    addType();
  }

  const onSubmit = form.handleSubmit(async ({ new_type: _typing, ...preferences }) => {
    try {
      await complete.mutateAsync(preferences);
      goNext();
    } catch (error) {
      showServerError(form, error, FIELDS);
    }
  });

  const depthError = fieldError(errors, "research_depth");
  const typesError = fieldError(errors, "content_types");
  return (
    <StepFrame
      stepNumber={3}
      intro={<p>Tell the writer how much research to do before drafting, and what you mostly publish.</p>}
      alert={formAlert(form.formState.errors)}
      onSubmit={onSubmit}
      onBack={goBack}
      busy={complete.isPending}
    >
      <ChoiceGroup legend="Research depth" error={depthError} layout="row">
        {RESEARCH_DEPTHS.map((depth) => (
          <Choice key={depth} type="radio" value={depth} label={depth} description={DEPTH_NOTES[depth]} invalid={depthError !== undefined} {...form.register("research_depth")} />
        ))}
      </ChoiceGroup>

      <ChoiceGroup legend="Content types" hint="Choose everything you publish." error={typesError}>
        {types.map((type) => (
          <Choice key={type} type="checkbox" value={type} label={type} invalid={typesError !== undefined} {...form.register("content_types")} />
        ))}
      </ChoiceGroup>
      <TextField
        className="add-field"
        label="Add content type"
        hint="Something not listed, e.g. Podcast show notes"
        onKeyDown={addOnEnter}
        trailing={<Button onClick={addType}>Add</Button>}
        {...form.register("new_type")}
      />

      <div className="switches">
        <Switch label="Auto research" description="Research each topic automatically before drafting." {...form.register("auto_research")} />
        <Switch label="Factual content" description="Back every claim of fact with a source." {...form.register("factual_content")} />
      </div>
    </StepFrame>
  );
}
