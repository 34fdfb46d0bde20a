import { useForm } from "react-hook-form";
import { integrationsStepSchema, type IntegrationsData } from "@server/steps/integrations/integrations-schema";
import { useCompleteStep } from "@/shared/api/steps/complete-step";
import { useSkipStep } from "@/shared/api/steps/skip-step";
import { Choice, ChoiceGroup } from "@/shared/components/choice-group";
import { StepFrame, WithSavedStep, type StepNavigation } from "@/shared/components/step-frame";
import { TextField } from "@/shared/components/text-field";
import { INTEGRATIONS, type IntegrationList } from "@/shared/labels";
import { schemaResolver } from "@/shared/forms/schema-resolver";
import { fieldError, formAlert, showServerError } from "@/shared/forms/server-errors";

interface Values extends Record<IntegrationList, string[]> {
  primary_website: string;
}

const FIELDS = ["primary_website", "website_platforms", "analytics_platforms", "social_platforms"];

function payload({ primary_website, ...lists }: Values): IntegrationsData {
  return primary_website.trim() === "" ? lists : { ...lists, primary_website: primary_website.trim() };
}

/** Step 5 (optional): the services to connect later; Skip moves on without them. */
export function IntegrationsStep(navigation: StepNavigation) {
  return (
    <WithSavedStep stepNumber={5} read={(data) => integrationsStepSchema.safeParse(data).data ?? null}>
      {(saved) => <IntegrationsForm saved={saved} {...navigation} />}
    </WithSavedStep>
  );
}

function IntegrationsForm({ saved, goBack, goNext }: { saved: IntegrationsData | null } & StepNavigation) {
  const form = useForm<Values>({
    defaultValues: {
      primary_website: saved?.primary_website ?? "",
      website_platforms: saved?.website_platforms ?? [],
      analytics_platforms: saved?.analytics_platforms ?? [],
      social_platforms: saved?.social_platforms ?? [],
    },
    resolver: schemaResolver<Values>(integrationsStepSchema, FIELDS, payload),
  });
  const complete = useCompleteStep(5);
  const skip = useSkipStep(5);

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await complete.mutateAsync(payload(values));
      goNext();
    } catch (error) {
      showServerError(form, error, FIELDS);
    }
  });

  async function skipStep() {
    try {
      await skip.mutateAsync();
      goNext();
    } catch (error) {
      showServerError(form, error, FIELDS);
    }
  }

  return (
    <StepFrame
      stepNumber={5}
      intro={<p>Choose the services you use, so the platform can publish and measure there once you connect them. You can skip this and come back later.</p>}
      alert={formAlert(form.formState.errors)}
      onSubmit={onSubmit}
      onBack={goBack}
      onSkip={() => void skipStep()}
      busy={complete.isPending}
      skipping={skip.isPending}
    >
      {INTEGRATIONS.map(({ list, legend, hint, options }) => {
        const error = fieldError(form.formState.errors, list);
        // Names saved by another client are kept and shown too.
        const names = [...new Set([...Object.keys(options), ...(saved?.[list] ?? [])])];
        return (
          <ChoiceGroup key={list} legend={legend} hint={hint} error={error}>
            {names.map((name) => (
              <Choice key={name} type="checkbox" value={name} label={options[name] ?? name} invalid={error !== undefined} {...form.register(list)} />
            ))}
          </ChoiceGroup>
        );
      })}
      <TextField
        label="Primary website (optional)"
        hint="The site you publish to most, if it differs from the one you analysed."
        type="url"
        inputMode="url"
        placeholder="https://"
        error={fieldError(form.formState.errors, "primary_website")}
        {...form.register("primary_website")}
      />
    </StepFrame>
  );
}
