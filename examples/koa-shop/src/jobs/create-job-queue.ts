import type { ShopConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { BullMqJobQueue } from './bullmq-job-queue.js';
import { InProcessJobQueue } from './job-queue.js';
import type { ShopJobQueue, ShopJobs } from './shop-jobs.js';

/**
 * REDIS_URL set: the jobs live in Redis (BullMQ, keys `<REDIS_PREFIX>jobs:…`), so they survive a
 * restart and every instance's worker shares them. Unset: in this process. Logs which one.
 */
export function createJobQueue(config: ShopConfig, logger: Logger): ShopJobQueue {
  const log = logger.child({ component: 'jobs' });
  if (config.redisUrl) {
    const queue = new BullMqJobQueue<ShopJobs>({
      url: config.redisUrl,
      prefix: `${config.redisPrefix}jobs`,
      logger: log,
    });
    log.info(
      { jobs: 'bullmq', prefix: queue.prefix },
      'follow-up jobs run on BullMQ (Redis): shared by every instance, kept across restarts',
    );
    return queue;
  }
  log.info(
    { jobs: 'in-process' },
    'follow-up jobs run in this process (REDIS_URL set: on Redis, with BullMQ)',
  );
  return new InProcessJobQueue<ShopJobs>({ logger: log });
}
