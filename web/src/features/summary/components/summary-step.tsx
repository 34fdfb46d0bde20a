import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { StepView } from "@server/onboarding/onboarding-view";
import { useCompleteOnboarding } from "@/features/summary/api/complete-onboarding";
import { summaryQuery } from "@/features/summary/api/get-summary";
import { SummaryView } from "@/features/summary/components/summary-view";
import { ApiError } from "@/shared/api/api-client";
import { providersQuery } from "@/shared/api/get-providers";
import { StepFrame, StepPlaceholder } from "@/shared/components/step-frame";

interface SummaryStepProps {
  readonly steps: readonly Pick<StepView, "step_number" | "title" | "status">[];
  readonly goBack: () => void;
  readonly onFinished: () => void;
}

/** Step 6: the summary from the database, then "Finish onboarding". */
export function SummaryStep({ steps, goBack, onFinished }: SummaryStepProps) {
  const summary = useQuery(summaryQuery);
  const providers = useQuery(providersQuery);
  const finish = useCompleteOnboarding();
  const [alert, setAlert] = useState<string>();

  if (summary.isError) return <StepPlaceholder error={summary.error.message} onRetry={() => void summary.refetch()} />;
  if (summary.data === undefined) return <StepPlaceholder />;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAlert(undefined);
    try {
      await finish.mutateAsync();
      onFinished();
    } catch (error) {
      setAlert(error instanceof ApiError ? error.message : "Something went wrong on our side. Please try again.");
    }
  }

  const labelOf = (provider: string) => providers.data?.find((guide) => guide.provider === provider)?.label ?? provider;
  return (
    <StepFrame
      stepNumber={6}
      intro={<p>Here is everything you set up. Check it, change anything with Edit, then finish.</p>}
      alert={alert}
      onSubmit={(event) => void onSubmit(event)}
      onBack={goBack}
      submitLabel="Finish onboarding"
      busy={finish.isPending}
    >
      <SummaryView summary={summary.data} steps={steps} providerLabel={labelOf} />
    </StepFrame>
  );
}
