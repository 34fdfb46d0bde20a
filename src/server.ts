// First: on a Node older than package.json's engines, one line saying what to install, then exit (decision 0017).
import "../scripts/require-node.mjs";
import { ConfigError } from "./config/config-error.js";
import { loadConfig, type Config } from "./config/config.js";
import { describeDatabase } from "./config/database-location.js";
import { createLogger } from "./logging/logger.js";

/**
 * Only listens: everything else is built by `buildApp`, which the tests use too. The token keys
 * (in dev mode an RSA key pair to generate, on the threadpool) are started first, so that they
 * are made while the rest of the code loads: a cold start is a load balancer's wait.
 */
async function main(): Promise<void> {
  const config = readConfigOrExit();
  const logger = createLogger(config.logLevel);
  const authentication = import("./http/authentication.js").then(({ createAuthentication }) => createAuthentication(config));
  const [{ createServices }, { buildApp }] = await Promise.all([import("./composition/services.js"), import("./app.js")]);
  const services = await createServices(config, logger);
  const app = await buildApp({ services, authentication: await authentication });
  stopGracefullyOnSignals(async () => {
    await app.close();
    await services.close();
  }, logger);
  await app.listen({ port: config.port, host: config.host });
  logger.info(
    { storage_mode: config.storageMode, database: describeDatabase(config.database), auth_mode: config.authMode },
    `onboarding-service listening on http://${config.host}:${config.port}`,
  );
}

function readConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** SIGTERM/SIGINT: stop accepting, let in-flight requests finish (app.close waits), then close the pool. */
function stopGracefullyOnSignals(stop: () => Promise<void>, logger: { info(message: string): void; error(o: object, m: string): void }): void {
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info(`${signal} received: finishing in-flight requests`);
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`onboarding-service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
