import {
  type AtomicIdempotencyStore,
  type AtomicRun,
  type Claim,
  type IdempotencyStore,
  type Lease,
  newLeaseToken,
} from '@ttpay/core/store';

/**
 * A small idempotency store that keeps the contract (a stand-in for a network store: every call takes
 * a round trip), and the bugs store authors write, each one method away from it. The conformance kit
 * must pass the first and catch every other.
 */

interface Entry {
  state: 'held' | 'done';
  token: string;
  expiresAt: number;
}

export interface ToyStoreOptions {
  /** Most keys held; at capacity expired entries and then done ones make room. Default 1 000. */
  capacity?: number;
  /** Every call fails (or, with `hang`, never answers): the backend is unreachable. */
  backendDown?: boolean;
}

const IN_FLIGHT: Claim = { status: 'in-flight' };
const DONE: Claim = { status: 'done' };

export class ToyStore implements IdempotencyStore {
  protected readonly entries = new Map<string, Entry>();
  protected readonly capacity: number;
  protected readonly backendDown: boolean;

  constructor(options: ToyStoreOptions = {}) {
    this.capacity = options.capacity ?? 1_000;
    this.backendDown = options.backendDown ?? false;
  }

  async claim(key: string, leaseMs: number): Promise<Claim> {
    await this.roundTrip();
    const now = Date.now();
    const entry = this.live(key, now);
    if (entry) return entry.state === 'done' ? DONE : IN_FLIGHT;
    if (!this.makeRoom(now)) return IN_FLIGHT;
    return this.grant(key, leaseMs, now);
  }

  async complete(lease: Lease, ttlMs: number): Promise<void> {
    await this.roundTrip();
    const now = Date.now();
    const entry = this.live(lease.key, now);
    if (entry?.state === 'done') {
      entry.expiresAt = Math.max(entry.expiresAt, now + ttlMs);
      return;
    }
    this.entries.set(this.keyOf(lease.key), { state: 'done', token: lease.token, expiresAt: now + ttlMs });
  }

  async release(lease: Lease): Promise<void> {
    await this.roundTrip();
    const entry = this.live(lease.key, Date.now());
    if (entry?.state === 'held' && entry.token === lease.token) this.entries.delete(this.keyOf(lease.key));
  }

  protected grant(key: string, leaseMs: number, now: number): Claim {
    const token = this.newToken();
    this.entries.set(this.keyOf(key), { state: 'held', token, expiresAt: now + leaseMs });
    return { status: 'claimed', lease: { key, token } };
  }

  protected live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(this.keyOf(key));
    return entry && entry.expiresAt > now ? entry : undefined;
  }

  /** How a key is stored. */
  protected keyOf(key: string): string {
    return key;
  }

  protected newToken(): string {
    return newLeaseToken();
  }

  protected async roundTrip(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.backendDown) throw new Error('toy backend unreachable');
  }

  /** Expired entries first, then the oldest done one; never a live claim. */
  protected makeRoom(now: number): boolean {
    if (this.entries.size < this.capacity) return true;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now || entry.state === 'done') {
        this.entries.delete(key);
        return true;
      }
    }
    return false;
  }
}

/** release deletes whatever claim holds the key, whoever's lease it is. */
export class TokenBlindReleaseStore extends ToyStore {
  override async release(lease: Lease): Promise<void> {
    await this.roundTrip();
    if (this.live(lease.key, Date.now())?.state === 'held') this.entries.delete(this.keyOf(lease.key));
  }
}

/** At capacity it evicts the oldest key, in flight or not. */
export class EvictingStore extends ToyStore {
  constructor(options: ToyStoreOptions = {}) {
    super({ capacity: 10, ...options });
  }

  protected override makeRoom(): boolean {
    const oldest = this.entries.keys().next();
    if (this.entries.size >= this.capacity && !oldest.done) this.entries.delete(oldest.value);
    return true;
  }
}

/** claim reads, awaits, then writes: concurrent claims all see a free key. */
export class CheckThenSetStore extends ToyStore {
  override async claim(key: string, leaseMs: number): Promise<Claim> {
    await this.roundTrip();
    const entry = this.live(key, Date.now());
    if (entry) return entry.state === 'done' ? DONE : IN_FLIGHT;
    await this.roundTrip(); // "SET key token" in a second command
    return this.grant(key, leaseMs, Date.now());
  }
}

/** Tokens from a per-instance counter: two app instances hand out the same ones. */
export class CounterTokenStore extends ToyStore {
  #issued = 0;

  protected override newToken(): string {
    this.#issued += 1;
    return String(this.#issued);
  }
}

/** complete records done only while its lease still holds the key: a stale holder's run is forgotten. */
export class StaleCompleteDroppingStore extends ToyStore {
  override async complete(lease: Lease, ttlMs: number): Promise<void> {
    await this.roundTrip();
    const entry = this.live(lease.key, Date.now());
    if (entry?.state !== 'held' || entry.token !== lease.token) return;
    this.entries.set(this.keyOf(lease.key), {
      state: 'done',
      token: lease.token,
      expiresAt: Date.now() + ttlMs,
    });
  }
}

/** complete always writes done with its own ttl, over a longer one already there. */
export class ShorteningStore extends ToyStore {
  override async complete(lease: Lease, ttlMs: number): Promise<void> {
    await this.roundTrip();
    this.entries.set(this.keyOf(lease.key), {
      state: 'done',
      token: lease.token,
      expiresAt: Date.now() + ttlMs,
    });
  }
}

/** Leases never run out (leaseMs ignored): a crashed holder blocks its key for good. */
export class EverlastingLeaseStore extends ToyStore {
  protected override grant(key: string, _leaseMs: number, now: number): Claim {
    return super.grant(key, Number.POSITIVE_INFINITY, now);
  }
}

/** Keys compared case-insensitively (a `citext` column, a `_ci` collation). */
export class CaseFoldingStore extends ToyStore {
  protected override keyOf(key: string): string {
    return key.toLowerCase();
  }
}

/** Keys stored as UTF-8 in a 255-character column: lone surrogates become U+FFFD, long keys are cut. */
export class LossyKeyStore extends ToyStore {
  protected override keyOf(key: string): string {
    return Buffer.from(key, 'utf8').toString('utf8').slice(0, 255);
  }
}

/** When the backend fails, claim answers "claimed" (fail open) and complete/release pretend to work. */
export class FailOpenStore extends ToyStore {
  override async claim(key: string, leaseMs: number): Promise<Claim> {
    try {
      return await super.claim(key, leaseMs);
    } catch {
      return { status: 'claimed', lease: { key, token: newLeaseToken() } };
    }
  }

  override async complete(lease: Lease, ttlMs: number): Promise<void> {
    await super.complete(lease, ttlMs).catch(() => {});
  }

  override async release(lease: Lease): Promise<void> {
    await super.release(lease).catch(() => {});
  }
}

/** When the backend is down, every call waits for it forever (no timeout). */
export class HangingStore extends ToyStore {
  protected override async roundTrip(): Promise<void> {
    if (this.backendDown) await new Promise<never>(() => {});
    await super.roundTrip();
  }
}

/**
 * The toy's "database" of the atomic cases: committed rows (marker → how many), and the transactions a
 * toy atomic store opens. A transaction buffers its writes until its commit; `drop()` is its connection
 * ending, as a crashed process's would: every later statement on it fails and nothing of it commits.
 */
export class ToyRows {
  readonly committed = new Map<string, number>();

  count(marker: string): number {
    return this.committed.get(marker) ?? 0;
  }
}

export class ToyTransaction {
  readonly writes: string[] = [];
  dropped = false;

  async write(marker: string): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.dropped) throw new Error('toy connection lost');
    this.writes.push(marker);
  }
}

/** The probe the kit's `atomic` option takes, over one `ToyRows`. */
export function toyProbe(rows: ToyRows) {
  return {
    write: (tx: ToyTransaction, marker: string) => tx.write(marker),
    count: (marker: string) => rows.count(marker),
    dropConnection: (tx: ToyTransaction) => {
      tx.dropped = true;
    },
  };
}

/**
 * A toy `AtomicIdempotencyStore`: the key is claimed by a lock the transaction holds (released when it
 * ends, however it ends), the done-record is written in the transaction and committed with its rows.
 */
export class ToyAtomicStore extends ToyStore implements AtomicIdempotencyStore<ToyTransaction> {
  protected readonly rows: ToyRows;
  /** Keys whose transaction is open: the locks. */
  protected readonly locks = new Set<string>();

  constructor(options: ToyStoreOptions & { rows?: ToyRows } = {}) {
    super(options);
    this.rows = options.rows ?? new ToyRows();
  }

  async processOnce<R>(
    key: string,
    ttlMs: number,
    work: (tx: ToyTransaction) => Promise<R>,
  ): Promise<AtomicRun<R>> {
    await this.roundTrip();
    if (this.locks.has(key)) return { status: 'in-flight' };
    const entry = this.live(key, Date.now());
    if (entry) return { status: entry.state === 'done' ? 'done' : 'in-flight' };
    this.locks.add(key);
    const tx = new ToyTransaction();
    try {
      this.beforeWork(key, ttlMs);
      const result = await work(tx);
      this.afterWork(key, ttlMs);
      await this.commit(tx, key, ttlMs);
      return { status: 'processed', result };
    } catch (error) {
      this.onFailure(key, tx);
      throw error;
    } finally {
      this.locks.delete(key);
    }
  }

  protected async commit(tx: ToyTransaction, key: string, ttlMs: number): Promise<void> {
    await this.roundTrip();
    if (tx.dropped) throw new Error('toy connection lost before the commit');
    for (const marker of tx.writes) this.rows.committed.set(marker, this.rows.count(marker) + 1);
    this.recordDone(key, ttlMs);
  }

  protected recordDone(key: string, ttlMs: number): void {
    this.entries.set(this.keyOf(key), {
      state: 'done',
      token: this.newToken(),
      expiresAt: Date.now() + ttlMs,
    });
  }

  protected beforeWork(_key: string, _ttlMs: number): void {}
  protected afterWork(_key: string, _ttlMs: number): void {}
  protected onFailure(_key: string, _tx: ToyTransaction): void {}
}

/** The done-record is written on its own connection once the work returned, before the work's commit. */
export class DoneOutsideTransactionStore extends ToyAtomicStore {
  protected override afterWork(key: string, ttlMs: number): void {
    this.recordDone(key, ttlMs);
  }
}

/** The done-record is written (and committed) when the key is claimed, before the work runs. */
export class DoneBeforeWorkStore extends ToyAtomicStore {
  protected override beforeWork(key: string, ttlMs: number): void {
    this.recordDone(key, ttlMs);
  }
}

/**
 * The claim is a lease row committed before the work (not a lock the transaction holds): a failed work
 * hands it back, but a process whose connection died cannot, and the key waits out the lease.
 */
export class LeasedAtomicStore extends ToyAtomicStore {
  protected override beforeWork(key: string): void {
    this.entries.set(this.keyOf(key), {
      state: 'held',
      token: this.newToken(),
      expiresAt: Date.now() + 60_000,
    });
  }

  protected override onFailure(key: string, tx: ToyTransaction): void {
    if (!tx.dropped) this.entries.delete(this.keyOf(key));
  }
}
