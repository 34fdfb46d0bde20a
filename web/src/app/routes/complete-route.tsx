import { Redirect } from "wouter";
import { useOnboardingState } from "@/app/routes/wizard-layout";
import { OnboardingComplete } from "@/features/summary/components/onboarding-complete";
import { paths } from "@/shared/paths";

export function CompleteRoute() {
  const { onboarding } = useOnboardingState();
  if (!onboarding.is_completed) return <Redirect to={paths.home} replace />;
  return <OnboardingComplete completedAt={onboarding.completed_at} />;
}
