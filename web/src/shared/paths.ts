/** The page's routes, in one place (the server answers any of them with index.html). */
export const paths = {
  home: "/",
  signIn: "/sign-in",
  step: (stepNumber: number) => `/step/${stepNumber}`,
  complete: "/complete",
} as const;
