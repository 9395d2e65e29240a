import type Router from '@koa/router';
import type { Deliverer } from '../deliver-with-retries.js';
import type { FaultStore } from '../faults.js';
import type { SimContext } from '../sim-context.js';
import type { SimLog } from '../sim-log.js';
import type { Simulator } from '../types.js';
import { ChangeFeed } from './change-feed.js';
import { registerDashboard } from './dashboard-routes.js';
import { DeliveryJournal } from './delivery-journal.js';
import { type JournalingDeliverer, journalingDeliverer } from './journaling-deliverer.js';
import { createOutageSwitches, type OutageSwitches } from './outage-switches.js';

export interface Dashboard {
  /** The simulator's deliverer, journaled: use it in place of `inner`. */
  readonly deliverer: JournalingDeliverer;
  readonly outages: OutageSwitches;
  /** Adds the page and its endpoints under `/_sim/`. */
  register(router: Router, sim: SimContext, controls: Pick<Simulator, 'douyin' | 'tiktok' | 'algovoi'>): void;
}

/** The simulator's web dashboard (`/_sim/`): a journal of every delivery, outage switches, live updates. */
export function createDashboard(opts: {
  deliverer: Deliverer;
  log: SimLog;
  faults: FaultStore;
  timeScale: number;
  closing: AbortSignal;
}): Dashboard {
  const journal = new DeliveryJournal();
  const feed = new ChangeFeed();
  // Requests change the orders (create_order, refunds…); deliveries change the journal.
  opts.log.subscribe(() => feed.changed());
  journal.subscribe(() => feed.changed());
  const deliverer = journalingDeliverer(opts.deliverer, journal, opts);
  const outages = createOutageSwitches(opts.faults);
  return {
    deliverer,
    outages,
    register(router, sim, controls) {
      registerDashboard(router, { sim, controls, deliverer, journal, outages, feed });
    },
  };
}
