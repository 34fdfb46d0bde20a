/**
 * Whether tests that need a service of this machine (a PostgreSQL server's binaries, Redis) must
 * run: under `CI` or `E2E_REQUIRED` they fail when it is missing, elsewhere they skip saying why.
 */
export function serviceTestsRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return isSet(env.CI) || isSet(env.E2E_REQUIRED);
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "false";
}
