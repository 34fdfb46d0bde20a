import { Redirect, Route, Switch } from "wouter";
import { CompleteRoute } from "@/app/routes/complete-route";
import { HomeRoute } from "@/app/routes/home-route";
import { NotFoundRoute } from "@/app/routes/not-found-route";
import { SignInRoute } from "@/app/routes/sign-in-route";
import { StepRoute } from "@/app/routes/step-route";
import { WizardLayout } from "@/app/routes/wizard-layout";
import { useSession } from "@/app/session";
import { PageLoading } from "@/shared/components/status-notes";
import { paths } from "@/shared/paths";

/** The page's routes: sign-in, and behind it the wizard (its steps and the final screen). */
export function AppRouter() {
  return (
    <Switch>
      <Route path={paths.signIn}>
        <SignInRoute />
      </Route>
      <Route>
        <SignedIn />
      </Route>
    </Switch>
  );
}

function SignedIn() {
  const session = useSession();
  if (session.status === "loading") return <PageLoading>Loading sign-in…</PageLoading>;
  if (session.status !== "signed-in") return <Redirect to={paths.signIn} replace />;
  return (
    <WizardLayout>
      <Switch>
        <Route path={paths.home}>
          <HomeRoute />
        </Route>
        <Route path="/step/:n">{(params) => <StepRoute n={params.n} />}</Route>
        <Route path={paths.complete}>
          <CompleteRoute />
        </Route>
        <Route>
          <NotFoundRoute />
        </Route>
      </Switch>
    </WizardLayout>
  );
}
