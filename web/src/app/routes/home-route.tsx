import { Redirect } from "wouter";
import { useOnboardingState } from "@/app/routes/wizard-layout";
import { paths } from "@/shared/paths";

/** `/` opens where the user is: the current step, or the final screen once complete. */
export function HomeRoute() {
  const { onboarding } = useOnboardingState();
  return <Redirect to={onboarding.is_completed ? paths.complete : paths.step(onboarding.current_step)} replace />;
}
