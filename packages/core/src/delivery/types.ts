import type { TtpayEvent } from '../events.js';
import type { HeaderMap } from '../shared/headers.js';
import type { DeliveryError } from './delivery-error.js';

/** The platforms a delivery comes from. */
export type Platform = 'douyin' | 'tiktok' | 'algovoi';

/**
 * Reads the body from the wire: resolves with at most `limit` bytes, or throws a `DeliveryError`
 * (`BODY_TOO_LARGE` past the limit, `MALFORMED_BODY` when the client aborted or lied about its length,
 * `RAW_BODY_UNAVAILABLE` when the bytes were consumed before). Moving bytes is all it does: every check
 * is the engine's.
 */
export type BodyReader = (limit: number) => Promise<Uint8Array>;

/**
 * One HTTP request that claims to be a platform's delivery, as an adapter hands it to the engine
 * (octokit's `verifyAndReceive({id, name, payload, signature})` is the model): nothing of a framework
 * but `request`, which the engine hands on to handlers and hooks untouched.
 */
export interface Delivery<Req> {
  readonly method: string;
  /** The request's headers; Node's `req.headersDistinct` keeps a repeated header visible. */
  readonly headers: HeaderMap;
  /**
   * The body: a reader of the wire (the engine checks `Content-Encoding` and `Content-Length` before it
   * reads), or the exact bytes a body parser kept (already decoded, so no encoding check applies).
   */
  readonly body: BodyReader | Uint8Array;
  /** The adapter's own request (a Koa context, a Web `Request`): handed to its context function. */
  readonly request: Req;
  /**
   * Told the body's text and parsed JSON once the engine has them, before verification (Koa leaves them
   * on `ctx.request` so that a body parser mounted later has nothing left to read).
   */
  readonly onParsed?: (text: string, json: Record<string, unknown>) => void;
}

/** What to answer the platform: the adapter writes exactly this. */
export interface Reply {
  readonly status: number;
  /** Lower-case names. No `content-type` means no body. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What a duplicate found: still being handled, or already handled. */
export type DuplicateState = 'in-flight' | 'done';

/**
 * What became of one delivery. The engine decides it; one function turns it into the reply, and one
 * logs it and calls the hooks.
 */
export type DeliveryOutcome<E extends TtpayEvent = TtpayEvent> =
  /** Refused before it was verified (method, type, size, body, signature). */
  | { readonly kind: 'rejected'; readonly error: DeliveryError }
  /**
   * Its key is handled already (acknowledged) or being handled (retry later). A `done` duplicate is
   * acknowledged without reply data: stores keep none yet. When a store's `done` answer carries the
   * handler's reply data, the engine answers it here (`replyFor`, the `duplicate` case) — the seam
   * Douyin's refund application callback needs (its reply carries `out_refund_no`).
   */
  | { readonly kind: 'duplicate'; readonly event: E; readonly state: DuplicateState }
  /**
   * The handler finished: acknowledged, with the handler's reply data if it returned some. `unrecorded`
   * says the store has not (yet) recorded the key done — acknowledged all the same, since a
   * non-success would have the work done twice once the claim expired.
   */
  | {
      readonly kind: 'handled';
      readonly event: E;
      readonly tookMs: number;
      readonly replyData?: Readonly<Record<string, unknown>>;
      readonly unrecorded?: { readonly pending: true } | { readonly cause: unknown };
    }
  /** Verified, not applied: the platform must deliver it again. */
  | { readonly kind: 'failed'; readonly event: E; readonly error: DeliveryError }
  /** The handler (or its commit) is still running at the deadline: retry later; it keeps its claim. */
  | { readonly kind: 'running'; readonly event: E };

/** What the engine knows of one delivery so far: adapters build their handlers' context on it. */
export interface DeliveryState<Tx = unknown> {
  /** Set once verified. */
  readonly event: TtpayEvent | undefined;
  /** Set once read. */
  readonly rawBody: Buffer | undefined;
  /** The store's transaction while the handler runs inside it; undefined before and after. */
  readonly tx: Tx | undefined;
}

/** A running endpoint: one platform's verification, de-duplication, handlers and replies. */
export interface DeliveryEndpoint<Req> {
  /**
   * Decides what becomes of `delivery`, answers through `respond` (the adapter writes the reply), then
   * logs the outcome and calls the hooks; resolves to what `respond` returned. Never rejects on its own.
   */
  receive<T>(delivery: Delivery<Req>, respond: (reply: Reply, outcome: DeliveryOutcome) => T): Promise<T>;
}

/** A handler: resolve to acknowledge, throw to have the platform deliver the event again. */
export type DeliveryHandler<E extends TtpayEvent, C> = (event: E, context: C) => unknown;

/** The context `webHandler`'s handlers get (and any adapter that keeps the engine's default). */
export interface HandlerContext<Tx = undefined, Req = Request> {
  /** The exact bytes the platform signed. */
  readonly rawBody: Buffer;
  /**
   * The store's transaction while the handler runs (`PostgresStore`: a `pg` client inside `BEGIN`):
   * write through it and the writes commit with the event's done-record, or not at all. Else undefined.
   */
  readonly tx: Tx;
  /** The adapter's request: a Web `Request` for `webHandler`. */
  readonly request: Req;
}

/** What `onRejected` gets by default: the bytes, if they were read before the delivery was refused. */
export interface RejectedContext<Req = Request> {
  readonly rawBody: Buffer | undefined;
  readonly request: Req;
}

/**
 * How an adapter shapes the context handlers and hooks get (Koa: its `ctx`, with `ctx.payment` reading
 * `state`). Called once per delivery, before anything else, so every hook finds it.
 */
export interface EndpointAdapter<Req, C> {
  /** The factory's name in messages (`douyinCallbacks`). */
  readonly name?: string;
  context(state: DeliveryState, request: Req): C;
}
