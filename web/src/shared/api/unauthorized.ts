/**
 * Every 401 of the API ends up here (api-client reports it); the app's session listens and sends
 * the user back to sign-in with a message, so an expired session never leaves a blank page.
 */
type Listener = () => void;
const listeners = new Set<Listener>();

export function onUnauthorized(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function reportUnauthorized(): void {
  for (const listener of listeners) listener();
}
