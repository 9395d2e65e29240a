import type Router from '@koa/router';

export interface HealthState {
  /** Set when shutdown begins: load balancers stop sending traffic while in-flight requests finish. */
  stopping: boolean;
  /** Where orders and idempotency keys live: `postgres` or the embedded `pglite`. */
  store: string;
  startedAt: number;
}

/** `GET /healthz`: 200 while serving, 503 once shutting down. */
export function healthRoutes(router: Router, state: HealthState): void {
  router.get('/healthz', (ctx) => {
    ctx.status = state.stopping ? 503 : 200;
    ctx.body = {
      status: state.stopping ? 'stopping' : 'ok',
      store: state.store,
      uptimeSeconds: Math.round((Date.now() - state.startedAt) / 1000),
    };
  });
}
