/**
 * Traces a service when the OTEL_* variables ask for it, and does nothing
 * otherwise. It must run before the service's modules are loaded:
 *
 *   node --import ./dist/shared/observability/registerTracing.js dist/services/goals/main.js
 */
import { registerInstrumentationLoader, startTracing, tracingRequested } from "./tracing.js";

if (tracingRequested(process.env)) {
  registerInstrumentationLoader();
  await startTracing();
}
