import { lazy, Suspense, type ComponentType } from "react";
import { Redirect, useLocation } from "wouter";
import { useOnboardingState } from "@/app/routes/wizard-layout";
import { NotFoundRoute } from "@/app/routes/not-found-route";
import { stepAccess } from "@/features/progress/step-access";
import { StepPlaceholder, type StepNavigation } from "@/shared/components/step-frame";
import { paths } from "@/shared/paths";

// Each step's screen is its own chunk: the sign-in page loads none of them, a step loads its own.
const SCREENS: Readonly<Record<number, ComponentType<StepNavigation>>> = {
  1: lazy(() => import("@/features/api-keys/components/api-keys-step").then((m) => ({ default: m.ApiKeysStep }))),
  2: lazy(() => import("@/features/website-analysis/components/website-step").then((m) => ({ default: m.WebsiteStep }))),
  3: lazy(() => import("@/features/research-preferences/components/research-step").then((m) => ({ default: m.ResearchStep }))),
  4: lazy(() => import("@/features/persona/components/persona-step").then((m) => ({ default: m.PersonaStep }))),
  5: lazy(() => import("@/features/integrations/components/integrations-step").then((m) => ({ default: m.IntegrationsStep }))),
};
const SummaryStep = lazy(() => import("@/features/summary/components/summary-step").then((m) => ({ default: m.SummaryStep })));

/** `/step/{n}`: the step's screen; a locked step is never shown, the current one opens instead. */
export function StepRoute({ n }: { readonly n: string }) {
  const { onboarding } = useOnboardingState();
  const [, navigate] = useLocation();
  const stepNumber = Number(n);
  if (!Number.isInteger(stepNumber) || stepNumber < 1 || stepNumber > 6) return <NotFoundRoute />;
  if (stepAccess(onboarding.steps, stepNumber) === "locked") return <Redirect to={paths.step(onboarding.current_step)} replace />;

  const navigation: StepNavigation = {
    goBack: () => navigate(paths.step(stepNumber - 1)),
    goNext: () => navigate(paths.step(stepNumber + 1)),
  };
  const Screen = SCREENS[stepNumber] as ComponentType<StepNavigation>;
  return (
    <Suspense fallback={<StepPlaceholder />}>
      {stepNumber === 6 ? (
        <SummaryStep key={6} steps={onboarding.steps} goBack={navigation.goBack} onFinished={() => navigate(paths.complete)} />
      ) : (
        <Screen key={stepNumber} {...navigation} />
      )}
    </Suspense>
  );
}
