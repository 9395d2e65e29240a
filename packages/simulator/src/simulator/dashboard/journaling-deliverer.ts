import type { SignedDelivery } from '@ttpay/testing';
import { assertDuplicates, type Deliverer, type DeliveryPlan } from '../deliver-with-retries.js';
import { SimulatorError } from '../simulator-error.js';
import type { DeliveryResult } from '../types.js';
import type { AttemptHandle, AttemptKind, DeliveryJournal } from './delivery-journal.js';

/** Most copies one resend may send at once. */
export const MAX_RESEND_COPIES = 50;

/** What `sendGiven` resolves to: the journal's id and each burst's replies. */
export interface GivenSendResult {
  id: number;
  bursts: DeliveryResult['responses'][];
}

export interface JournalingDeliverer extends Deliverer {
  /**
   * Sends a delivery built elsewhere (`ttpay send --via-simulator`: the CLI signed it) as one journaled
   * delivery: `times` bursts, one after another, of `copies` requests at once; no retries. Resolves once
   * every reply is in.
   */
  sendGiven(plan: DeliveryPlan, opts: { copies: number; times: number }): Promise<GivenSendResult>;
  /**
   * Sends delivery `id` again, `copies` requests at once (concurrently), each built by `build` from the
   * platform's next attempt (the same bytes, or re-signed where the platform re-signs). No retries:
   * each copy is one request, recorded as an attempt of kind `kind`. Resolves when every reply is in.
   */
  resend(
    id: number,
    opts: { copies: number; kind: AttemptKind; build?: (next: SignedDelivery) => SignedDelivery },
  ): Promise<DeliveryResult[]>;
}

/**
 * Wraps the simulator's deliverer so the journal sees every request and reply: the requests still go
 * through `inner` (its timeouts, log entries and shutdown), one plan per delivery, as before.
 * Duplicates are sent here, one single-request plan each, so that they are journaled too.
 */
export function journalingDeliverer(
  inner: Deliverer,
  journal: DeliveryJournal,
  opts: { timeScale: number; closing: AbortSignal },
): JournalingDeliverer {
  const running = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    running.add(work);
    const forget = () => running.delete(work);
    work.then(forget, forget);
    return work;
  };

  /** One request of delivery `id`, no retries. */
  function sendOnce(id: number, plan: DeliveryPlan, kind: AttemptKind, build: () => SignedDelivery) {
    let handle: AttemptHandle | undefined;
    return inner.deliver({
      url: plan.url,
      platform: plan.platform,
      timeoutMs: plan.timeoutMs,
      schedule: [],
      attempt: () => {
        const d = build();
        handle = journal.sending(id, kind, d);
        return d;
      },
      isAck: (status, body, error) => {
        const acknowledged = plan.isAck(status, body);
        handle?.replied(status, body, acknowledged, error);
        return acknowledged;
      },
    });
  }

  async function run(id: number, plan: DeliveryPlan): Promise<DeliveryResult> {
    let sent = 0;
    let last: SignedDelivery | undefined;
    let handle: AttemptHandle | undefined;
    let result: DeliveryResult;
    try {
      result = await inner.deliver({
        ...plan,
        duplicates: undefined,
        attempt: () => {
          last = plan.attempt();
          handle = journal.sending(id, 'scheduled', last);
          return last;
        },
        isAck: (status, body, error) => {
          const acknowledged = plan.isAck(status, body);
          handle?.replied(status, body, acknowledged, error);
          // The inner deliverer waits schedule[k] after the k-th (0-based) unacknowledged attempt.
          const wait = plan.schedule[sent++];
          if (!acknowledged && wait !== undefined && !opts.closing.aborted) {
            journal.retryAt(id, Date.now() + wait * opts.timeScale);
          }
          return acknowledged;
        },
      });
    } catch (error) {
      journal.finish(id, 'failed');
      throw error;
    }
    const responses = [...result.responses];
    const copy = last;
    if (result.acknowledged && copy) {
      // At-least-once delivery: the acknowledged bytes again, as they were (one after another).
      for (let i = 0; i < (plan.duplicates ?? 0) && !opts.closing.aborted; i++) {
        const duplicate = await sendOnce(id, plan, 'duplicate', () => copy).catch(closedOrThrow);
        if (!duplicate) break;
        responses.push(...duplicate.responses);
      }
    }
    journal.finish(id, result.acknowledged ? 'acknowledged' : opts.closing.aborted ? 'stopped' : 'gave-up');
    return { url: result.url, attempts: responses.length, acknowledged: result.acknowledged, responses };
  }

  return {
    async deliver(plan) {
      if (opts.closing.aborted) throw new SimulatorError('CLOSED', 'The simulator is closed.');
      assertDuplicates(plan.duplicates);
      return track(run(journal.open(plan), plan));
    },
    async resend(id, { copies, kind, build }) {
      if (!Number.isSafeInteger(copies) || copies < 1 || copies > MAX_RESEND_COPIES) {
        throw new SimulatorError(
          'INVALID_ARGUMENT',
          `copies must be an integer from 1 to ${MAX_RESEND_COPIES}.`,
        );
      }
      if (opts.closing.aborted) throw new SimulatorError('CLOSED', 'The simulator is closed.');
      const { plan } = journal.replayable(id);
      const next = () => (build ? build(plan.attempt()) : plan.attempt());
      return track(Promise.all(Array.from({ length: copies }, () => sendOnce(id, plan, kind, next))));
    },
    async sendGiven(plan, { copies, times }) {
      if (opts.closing.aborted) throw new SimulatorError('CLOSED', 'The simulator is closed.');
      const id = journal.open(plan);
      return track(
        (async () => {
          const bursts: DeliveryResult['responses'][] = [];
          let acknowledged = false;
          for (let i = 0; i < times && !opts.closing.aborted; i++) {
            const results = await Promise.all(
              Array.from({ length: copies }, () =>
                sendOnce(id, plan, 'cli', () => plan.attempt()).catch(closedOrThrow),
              ),
            );
            acknowledged ||= results.some((r) => r?.acknowledged === true);
            bursts.push(results.flatMap((r) => r?.responses ?? []));
          }
          journal.finish(
            id,
            acknowledged ? 'acknowledged' : opts.closing.aborted ? 'stopped' : 'not-acknowledged',
          );
          return { id, bursts };
        })(),
      );
    },
    async idle() {
      await Promise.allSettled([...running]);
      await inner.idle();
    },
  };
}

/** A request refused because the simulator is closing ends the duplicates quietly. */
function closedOrThrow(error: unknown): undefined {
  if (error instanceof SimulatorError && error.code === 'CLOSED') return undefined;
  throw error;
}
