/**
 * The one seam between the page and whoever signs people in: every API call asks `getToken()`
 * for the session token it sends as `Authorization: Bearer`.
 * - dev auth mode: the token from POST /api/dev/token, kept in sessionStorage (this tab only,
 *   gone when it closes; never localStorage).
 * - clerk auth mode: features/auth/components/clerk-session.tsx hands Clerk's own `getToken`
 *   and `signOut` to `setTokenSource` once Clerk has loaded.
 */
export interface TokenSource {
  getToken(): Promise<string | null>;
  signOut(): Promise<void>;
}

const DEV_TOKEN_KEY = "onboarding.dev-session-token";

export const devTokenSource: TokenSource = {
  getToken: async () => sessionStorage.getItem(DEV_TOKEN_KEY),
  signOut: async () => sessionStorage.removeItem(DEV_TOKEN_KEY),
};

let source: TokenSource = devTokenSource;

export function setTokenSource(next: TokenSource): void {
  source = next;
}

export function getToken(): Promise<string | null> {
  return source.getToken();
}

export function signOutOfSource(): Promise<void> {
  return source.signOut();
}

export function keepDevToken(token: string): void {
  sessionStorage.setItem(DEV_TOKEN_KEY, token);
}

export function hasDevToken(): boolean {
  return sessionStorage.getItem(DEV_TOKEN_KEY) !== null;
}
