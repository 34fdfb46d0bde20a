import { collectDefaultMetrics, Registry } from "prom-client";

let registry: Registry | undefined;

/**
 * Node's process metrics (CPU, resident memory, heap, event-loop lag, GC, open handles), in a
 * registry of their own, made once per process: they describe the process, not an app, and
 * collecting them installs observers (GC, event-loop delay) that should exist once however many
 * apps a process builds (tests build dozens).
 */
export function processMetricsRegistry(): Registry {
  if (registry === undefined) {
    registry = new Registry();
    collectDefaultMetrics({ register: registry });
  }
  return registry;
}
