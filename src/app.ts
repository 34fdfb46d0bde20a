import { randomUUID } from "node:crypto";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { validatorCompiler } from "fastify-type-provider-zod";
import type { Services } from "./composition/services.js";
import { stepDefinitions } from "./composition/step-registry.js";
import { userKeyChecker } from "./composition/model-key-check.js";
import { chatClientFor } from "./composition/user-chat-client.js";
import { registerAccessLog } from "./http/access-log.js";
import { registerCors } from "./http/cors.js";
import { createAuthentication, requireAuthentication, type Authentication } from "./http/authentication.js";
import { answerNoRoute, earlyErrorOptions, registerErrorHandler } from "./http/error-handler.js";
import { ExpensiveWorkGuard } from "./http/expensive-work-guard.js";
import { registerJsonBodyParser } from "./http/json-body-parser.js";
import { drainRefusedBodies } from "./http/refused-body-drain.js";
import { registerOpenApi } from "./http/openapi.js";
import { responseSerializerCompiler } from "./http/response-serializer.js";
import { devTokenRoutes } from "./http/routes/dev-token-routes.js";
import { configRoutes } from "./http/routes/config-routes.js";
import { healthRoutes, onboardingHealthRoute } from "./http/routes/health-routes.js";
import { sessionRoutes } from "./http/routes/session-routes.js";
import { stepRoutes } from "./http/routes/step-routes.js";
import { webConfigRoutes } from "./http/routes/web-config-routes.js";
import { wizardRoutes } from "./http/routes/wizard-routes.js";
import { BUILT_WEB_ROOT, registerWebPage } from "./http/web-page.js";
import { openSharedWorkState } from "./limits/open-shared-work-state.js";
import { AppMetrics } from "./metrics/app-metrics.js";
import { metricsRoutes } from "./metrics/metrics-routes.js";
import { Wizard } from "./onboarding/wizard.js";
import { apiKeysRoutes } from "./steps/api-keys/api-keys-routes.js";
import { keyCheckRoutes } from "./steps/api-keys/key-check-routes.js";
import { environmentProviders } from "./steps/api-keys/environment-keys.js";
import { personaRoutes } from "./steps/persona/persona-routes.js";
import { personaTaskRoutes } from "./steps/persona/persona-task-routes.js";
import { PersonaTaskStore } from "./steps/persona/tasks/persona-task-store.js";
import { researchPreferencesRoutes } from "./steps/research-preferences/research-preferences-routes.js";
import { summaryRoutes } from "./steps/summary/summary-routes.js";
import { websiteAnalysisRoutes } from "./steps/website-analysis/website-analysis-routes.js";

export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface AppOptions {
  readonly services: Services;
  /** Defaults to the configured mode's (dev: a fresh key pair; clerk: CLERK_JWT_KEY or CLERK_JWKS_URL). */
  readonly authentication?: Authentication;
  /** Defaults to 10 expensive starts per user per minute, counted where every instance sees them (REDIS_URL or the database). */
  readonly guard?: ExpensiveWorkGuard;
  /** Defaults to the tasks in `services.database` with DEFAULT_PERSONA_TASK_TIMEOUTS (tests pass one with their own clock). */
  readonly personaTasks?: PersonaTaskStore;
  /** The built web page; defaults to dist/web. */
  readonly webRoot?: string;
}

/**
 * Builds the HTTP app without listening, so tests `inject` into the very app that serves.
 * Tiers, as in fastify/demo: framework wiring, then our services, then the routes, then the web
 * page (last: it answers what no route took).
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { services } = options;
  const timeouts = services.config.http;
  const app = Fastify({
    loggerInstance: services.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    // Slow or stalled clients are closed by the server (decision 0011); Node checks every second.
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    http: { headersTimeout: timeouts.headersTimeoutMs, connectionsCheckingInterval: 1_000 },
    // The caller's x-request-id is kept only when it is a plain token: it is echoed into every log line.
    requestIdHeader: false,
    genReqId: (request) => acceptedRequestId(request.headers["x-request-id"]) ?? randomUUID(),
    // One line per request, written when it is answered (http/access-log.ts), instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    ...earlyErrorOptions(services.logger as FastifyBaseLogger),
  });
  await wireFramework(app);
  await registerCors(app, services.config.corsOrigins);

  const authentication = options.authentication ?? (await createAuthentication(services.config));
  const personaTasks = options.personaTasks ?? new PersonaTaskStore(services.database);
  const guard = options.guard ?? (await defaultGuard(app, services));
  const metrics = new AppMetrics({
    storageMode: services.config.storageMode,
    database: services.database,
    storage: services.metrics,
    personaTasksByStatus: () => personaTasks.countByStatus(),
  });
  app.addHook("onResponse", metrics.observeResponse);
  const wizard = new Wizard({
    store: services.store,
    definitions: stepDefinitions(services.cipher),
    environmentProviders: localKeys(services),
    logger: services.logger,
    erasers: [(userId) => personaTasks.eraseUser(userId), (userId) => guard.eraseRuns(userId)],
    saves: metrics,
  });
  // LOCAL_ENV_KEYS: the environment's provider keys are read at each call, never copied anywhere.
  const modelSources = { config: services.config, cipher: services.cipher, agent: services.outboundAgent, environment: { env: process.env, workingDir: process.cwd() } };
  const chatClients = chatClientFor(modelSources);
  const expensivePerMinute = Math.round((guard.limit.perWindow * 60_000) / guard.limit.windowMs);

  await app.register(healthRoutes(services));
  await app.register(metricsRoutes(metrics, services.config.metricsToken));
  if (authentication.devIssuer !== undefined) await app.register(devTokenRoutes(authentication.devIssuer));
  await app.register(webConfigRoutes(services.config));
  await app.register(
    async (api) => {
      requireAuthentication(api, authentication.verifier);
      api.setNotFoundHandler(answerNoRoute);
      await api.register(onboardingHealthRoute);
      await api.register(wizardRoutes(wizard));
      await api.register(sessionRoutes(wizard));
      await api.register(configRoutes({ bodyBytes: BODY_LIMIT_BYTES, expensivePerMinute }));
      await api.register(stepRoutes(wizard));
      await api.register(apiKeysRoutes(wizard));
      await api.register(keyCheckRoutes({ wizard, guard, checkKey: userKeyChecker(modelSources) }));
      await api.register(
        websiteAnalysisRoutes({
          wizard,
          guard,
          chatClientFor: chatClients,
          allowPrivate: services.config.websiteFetchAllowPrivate,
          resolve: services.resolver.resolve,
        }),
      );
      await api.register(researchPreferencesRoutes(wizard));
      await api.register(personaRoutes({ wizard, guard, chatClientFor: chatClients }));
      await api.register(personaTaskRoutes({ wizard, guard, chatClientFor: chatClients, tasks: personaTasks }));
      await api.register(summaryRoutes(wizard));
    },
    { prefix: "/api/onboarding" },
  );
  await registerWebPage(app, options.webRoot ?? BUILT_WEB_ROOT);
  return app;
}

async function wireFramework(app: FastifyInstance): Promise<void> {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
  // JSON only: a text/plain body is refused with 415 instead of reaching a handler as a string.
  app.removeContentTypeParser("text/plain");
  registerJsonBodyParser(app);
  registerErrorHandler(app);
  drainRefusedBodies(app);
  registerAccessLog(app);
  app.addHook("onSend", (request, reply, _payload, done) => {
    reply.header("x-request-id", request.id);
    done();
  });
  await registerOpenApi(app);
}

async function defaultGuard(app: FastifyInstance, services: Services): Promise<ExpensiveWorkGuard> {
  const shared = await openSharedWorkState(services.config.sharedLimits, services.database, services.logger);
  app.addHook("onClose", () => shared.close());
  return new ExpensiveWorkGuard(shared, { limit: 10, windowMs: 60_000 });
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function acceptedRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === "string" && REQUEST_ID.test(header) ? header : undefined;
}

function localKeys(services: Services): ReadonlySet<string> {
  return services.config.localEnvKeys ? environmentProviders(process.env, process.cwd()) : new Set();
}
