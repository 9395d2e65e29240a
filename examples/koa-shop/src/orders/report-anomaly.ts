import type { Logger } from '../logger.js';
import type { Anomaly, OrderRepository } from './order-repository.js';

/** Records an anomaly for a human to look at, and logs it as an error (no secrets: ids and amounts). */
export async function reportAnomaly(
  orders: OrderRepository,
  logger: Logger,
  anomaly: Omit<Anomaly, 'at'>,
): Promise<void> {
  const recorded: Anomaly = { ...anomaly, at: new Date().toISOString() };
  await orders.recordAnomaly(recorded);
  logger.error({ anomaly: recorded }, `anomaly: ${anomaly.kind}`);
}
