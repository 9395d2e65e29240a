import type { SignedDelivery } from '@ttpay/testing';
import type { DeliveryPlan } from '../deliver-with-retries.js';
import { SimulatorError } from '../simulator-error.js';
import type { Breakage } from './break-delivery.js';
import { type DeliveryLabel, describeDelivery } from './describe-delivery.js';
import { replyCode } from './reply-code.js';

/**
 * Why a request of a delivery was sent: the platform's schedule, a duplicate, a dashboard resend, or
 * `ttpay send --via-simulator` (`cli`).
 */
export type AttemptKind = 'scheduled' | 'duplicate' | 'resend' | 'cli' | Breakage;

export type DeliveryState =
  /** A request is out, or about to go. */
  | 'sending'
  /** Not acknowledged yet; the next attempt is at `nextRetryAt`. */
  | 'retry-scheduled'
  | 'acknowledged'
  /** The schedule ran out unacknowledged. */
  | 'gave-up'
  /** A one-off send (`ttpay send --via-simulator`) that no reply acknowledged. */
  | 'not-acknowledged'
  /** The simulator closed first. */
  | 'stopped'
  /** The delivery could not be built (e.g. a signing error). */
  | 'failed';

export interface AttemptRecord {
  /** 1-based, over every request of the delivery (resends included). */
  n: number;
  kind: AttemptKind;
  sentAt: number;
  /** The body exactly as sent (UTF-8 text), and its headers. */
  request: { headers: Record<string, string>; body: string; bytes: number };
  /** Absent while the request is in flight. */
  reply?: {
    /** 0: no HTTP reply (refused, reset, timed out); `error` names why and `body` says it in words. */
    status: number;
    body: string;
    /** The code the app answered with (`SIGNATURE_MISMATCH`, `IN_FLIGHT`…), read from its JSON reply. */
    code?: string;
    /** Why no reply came: `ECONNREFUSED`, `ECONNRESET`, `TIMEOUT`… */
    error?: string;
  };
  latencyMs?: number;
  acknowledged?: boolean;
}

export interface DeliveryRecord extends DeliveryLabel {
  id: number;
  platform: DeliveryPlan['platform'];
  /** The receiver's full URL (views redact its query). */
  url: string;
  startedAt: number;
  state: DeliveryState;
  nextRetryAt?: number;
  attempts: AttemptRecord[];
  /** Oldest attempts dropped beyond `maxAttempts`. */
  droppedAttempts: number;
}

/** Records an attempt's reply once it is in. */
export interface AttemptHandle {
  replied(status: number, body: string, acknowledged: boolean, error?: string): void;
}

interface Entry {
  record: DeliveryRecord;
  /** Kept for resends: `attempt()` builds the platform's next attempt (trade: freshly signed). */
  plan: DeliveryPlan;
}

/** Oldest deliveries are forgotten beyond this, so a long `ttpay simulate` stays bounded. */
export const MAX_JOURNAL_DELIVERIES = 500;
export const MAX_ATTEMPTS_PER_DELIVERY = 200;

/**
 * Every callback and webhook the simulator delivered, with each request's exact bytes and headers and
 * the receiver's reply: what the dashboard shows. Holds only what went over the wire, never a
 * credential (the plans' signing keys stay inside their closures).
 */
export class DeliveryJournal {
  readonly #entries = new Map<number, Entry>();
  readonly #listeners = new Set<() => void>();
  #lastId = 0;

  constructor(
    readonly maxDeliveries = MAX_JOURNAL_DELIVERIES,
    readonly maxAttempts = MAX_ATTEMPTS_PER_DELIVERY,
  ) {}

  /** The id of the newest delivery (0: none yet). */
  get lastId(): number {
    return this.#lastId;
  }

  /** Newest first. */
  records(): DeliveryRecord[] {
    return [...this.#entries.values()].map((e) => e.record).reverse();
  }

  open(plan: DeliveryPlan): number {
    const id = ++this.#lastId;
    this.#entries.set(id, {
      plan,
      record: {
        id,
        platform: plan.platform,
        scheme: plan.platform === 'douyin' ? 'ecpay' : plan.platform,
        type: '',
        ref: '',
        url: plan.url,
        startedAt: Date.now(),
        state: 'sending',
        attempts: [],
        droppedAttempts: 0,
      },
    });
    for (const old of this.#entries.keys()) {
      if (this.#entries.size <= this.maxDeliveries) break;
      this.#entries.delete(old);
    }
    this.#changed();
    return id;
  }

  /** A request of delivery `id` is going out now. */
  sending(id: number, kind: AttemptKind, d: SignedDelivery): AttemptHandle {
    const record = this.#entries.get(id)?.record;
    if (!record) return { replied() {} };
    if (record.attempts.length === 0 && record.droppedAttempts === 0) {
      Object.assign(record, describeDelivery(record.platform, d));
    }
    const attempt: AttemptRecord = {
      n: record.droppedAttempts + record.attempts.length + 1,
      kind,
      sentAt: Date.now(),
      request: { headers: { ...d.headers }, body: d.rawBody, bytes: d.body.length },
    };
    record.attempts.push(attempt);
    if (record.attempts.length > this.maxAttempts) {
      record.attempts.shift();
      record.droppedAttempts += 1;
    }
    if (kind === 'scheduled') {
      record.state = 'sending';
      delete record.nextRetryAt;
    }
    this.#changed();
    return {
      replied: (status, body, acknowledged, error) => {
        const code = status === 0 ? undefined : replyCode(body);
        attempt.reply = {
          status,
          body,
          ...(code === undefined ? {} : { code }),
          ...(error === undefined ? {} : { error }),
        };
        attempt.latencyMs = Date.now() - attempt.sentAt;
        attempt.acknowledged = acknowledged;
        this.#changed();
      },
    };
  }

  retryAt(id: number, at: number): void {
    const record = this.#entries.get(id)?.record;
    if (!record) return;
    record.state = 'retry-scheduled';
    record.nextRetryAt = at;
    this.#changed();
  }

  finish(id: number, state: Exclude<DeliveryState, 'sending' | 'retry-scheduled'>): void {
    const record = this.#entries.get(id)?.record;
    if (!record) return;
    record.state = state;
    delete record.nextRetryAt;
    this.#changed();
  }

  /** The delivery's plan and label, to send it again. */
  replayable(id: number): { plan: DeliveryPlan; record: DeliveryRecord } {
    const entry = this.#entries.get(id);
    if (!entry || entry.record.attempts.length === 0) {
      // A lookup that found nothing, not a malformed argument (INVALID_ARGUMENT means that, in every package).
      throw new SimulatorError('UNKNOWN_DELIVERY', `No delivery #${id} to send again.`);
    }
    return entry;
  }

  /** Called after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}
