// The container's health check (Dockerfile HEALTHCHECK): exits 0 when GET /healthz on this
// container's own port answers 200 within 4 s, 1 otherwise. Node only: the image has no curl.
const port = process.env.PORT ?? "8080";

try {
  const answer = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4_000) });
  process.exitCode = answer.status === 200 ? 0 : 1;
} catch {
  process.exitCode = 1;
}
