/** Liveness and readiness probes (`/healthz`, `/readyz`), outside the API. */
export { default as systemRoutes } from './routes.js';
