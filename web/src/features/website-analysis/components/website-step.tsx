import { useRef, useState, type KeyboardEvent } from "react";
import { useForm, type FieldValues, type UseFormRegister } from "react-hook-form";
import type { JsonObject } from "@server/onboarding/onboarding-record";
import { websiteStepSchema } from "@server/steps/website-analysis/website-analysis-schema";
import { useAnalyzeWebsite, type WebsiteAnalysis } from "@/features/website-analysis/api/analyze-website";
import { AnalysisEditor } from "@/features/website-analysis/components/analysis-editor";
import { ANALYSIS_FIELDS, analysisTexts, analysisWithEdits, type WebsiteValues } from "@/features/website-analysis/components/analysis-sections";
import { ApiError } from "@/shared/api/api-client";
import { useCompleteStep } from "@/shared/api/steps/complete-step";
import { Button } from "@/shared/components/button";
import { BusyNote } from "@/shared/components/status-notes";
import { StepFrame, WithSavedStep, type StepNavigation } from "@/shared/components/step-frame";
import { TextField } from "@/shared/components/text-field";
import { sentence } from "@/shared/forms/field-errors";
import { schemaResolver } from "@/shared/forms/schema-resolver";
import { fieldError, formAlert, showServerError } from "@/shared/forms/server-errors";

type Values = WebsiteValues;

const KEPT_ANALYSIS = "We could not read that site, so your saved analysis is kept. Check the address and try again.";

const FIELDS = ["website", ...ANALYSIS_FIELDS.map((field) => `analysis.${field.path}`)];

/** Step 2: the site's URL, its analysis (run here, or typed by hand when the site cannot be read), editable. */
export function WebsiteStep(navigation: StepNavigation) {
  return (
    <WithSavedStep stepNumber={2} read={(data) => data}>
      {(saved) => (
        <WebsiteForm
          savedWebsite={typeof saved?.website === "string" ? saved.website : ""}
          savedAnalysis={(saved?.analysis as JsonObject | undefined) ?? null}
          {...navigation}
        />
      )}
    </WithSavedStep>
  );
}

/** What Continue sends: the analysis only once there is one (run, or being typed by hand). */
function payload(values: Values, base: JsonObject | null) {
  return base === null ? { website: values.website } : { website: values.website, analysis: analysisWithEdits(base, values.analysis) };
}

function WebsiteForm({ savedWebsite, savedAnalysis, goBack, goNext }: { savedWebsite: string; savedAnalysis: JsonObject | null } & StepNavigation) {
  // The analysis the edits apply to: the saved one, the one just run, or {} when typed by hand.
  const [base, setBase] = useState<JsonObject | null>(savedAnalysis);
  const form = useForm<Values>({
    defaultValues: { website: savedWebsite, analysis: analysisTexts(savedAnalysis ?? {}) },
    resolver: schemaResolver<Values>(websiteStepSchema, FIELDS, (values) => payload(values, base)),
  });
  const analyze = useAnalyzeWebsite();
  const complete = useCompleteStep(2);
  const failed = base?.status === "failed";
  // The analysis being run, so that Continue can wait for it (SPEC §10): resolves to what it made, or null.
  const running = useRef<Promise<JsonObject | null> | null>(null);
  const [waiting, setWaiting] = useState(false);

  function runAnalysis(): Promise<JsonObject | null> {
    const run = (async () => {
      if (!(await form.trigger("website", { shouldFocus: true }))) return null;
      try {
        const { website_url: _url, ...analysis }: WebsiteAnalysis = await analyze.mutateAsync(form.getValues("website"));
        setBase(analysis);
        form.setValue("analysis", analysisTexts(analysis));
        return analysis;
      } catch (error) {
        // A done step keeps its analysis: one that failed is not saved over it (SPEC §4).
        if (error instanceof ApiError && error.code === "step_done") form.setError("root.server", { type: "server", message: KEPT_ANALYSIS });
        else showServerError(form, error, FIELDS);
        return null;
      }
    })();
    running.current = run;
    void run.finally(() => {
      if (running.current === run) running.current = null;
    });
    return run;
  }

  function enterByHand() {
    setBase({});
    form.setValue("analysis", analysisTexts({}));
  }

  function analyzeOnEnter(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    void runAnalysis();
  }

  const onSubmit = form.handleSubmit(async (values) => {
    const inFlight = running.current;
    let analysed = base;
    if (inFlight !== null) {
      // Continue during "Analyzing…": finish with the analysis being made, not without it.
      setWaiting(true);
      analysed = await inFlight;
      setWaiting(false);
      // It failed or could not run: the page already says why (the notice or the field's message).
      if (analysed === null || analysed.status === "failed") return;
    }
    try {
      await complete.mutateAsync(payload(inFlight === null ? values : form.getValues(), analysed));
      goNext();
    } catch (error) {
      showServerError(form, error, FIELDS);
    }
  });

  const website = form.watch("website");
  return (
    <StepFrame
      stepNumber={2}
      intro={<p>We read your website to learn how you write: tone, audience and structure. Check what we found and adjust anything that is off.</p>}
      alert={formAlert(form.formState.errors)}
      onSubmit={onSubmit}
      onBack={goBack}
      busy={complete.isPending || waiting}
    >
      <TextField
          label="Website URL"
          hint="The site whose writing style we should learn, for example https://example.com"
          type="url"
          inputMode="url"
          autoComplete="url"
          placeholder="https://"
          error={fieldError(form.formState.errors, "website")}
          onKeyDown={analyzeOnEnter}
          trailing={
            <Button variant={base === null || failed ? "primary" : "secondary"} onClick={() => void runAnalysis()} busy={analyze.isPending}>
              {analyze.isPending ? "Analyzing…" : "Analyze"}
            </Button>
          }
          {...form.register("website")}
        />

      {analyze.isPending && (
        <BusyNote>
          Reading {website} and measuring its style. This usually takes a few seconds.
          {waiting && " You will go on to the next step as soon as it is done."}
        </BusyNote>
      )}

      {!analyze.isPending && failed && (
        <div className="notice notice-warning">
          <p>
            <strong>We could not read that site.</strong> {sentence(String(base.error_message ?? "the page did not answer"))}
          </p>
          <p>Check the address and try again, or describe your style by hand.</p>
          <div className="notice-actions">
            <Button onClick={() => void runAnalysis()}>Try again</Button>
            <Button variant="quiet" onClick={enterByHand}>
              Enter it by hand
            </Button>
          </div>
        </div>
      )}

      {!analyze.isPending && base !== null && !failed && (
        <AnalysisEditor analysis={base} register={form.register as unknown as UseFormRegister<FieldValues>} errors={form.formState.errors} />
      )}
    </StepFrame>
  );
}
