import { hash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/*
 * A key's value is `inflight:<token>` while a claim holds it (PX = the lease) and `done:<token>` once
 * processed (PX = how long duplicates are recognised). The token is unique per claim, so an instance
 * whose lease expired cannot release someone else's claim. Every script is idempotent for a given
 * token: ioredis may resend a command whose reply was lost when a connection dropped.
 */

/** KEYS[1] key; ARGV[1] token; ARGV[2] lease ms → claimed | in-flight | done | unexpected */
const CLAIM = `
local lease = 'inflight:' .. ARGV[1]
if redis.call('SET', KEYS[1], lease, 'NX', 'PX', ARGV[2]) then return 'claimed' end
local current = redis.call('GET', KEYS[1])
if current == lease then return 'claimed' end
if not current or string.sub(current, 1, 9) == 'inflight:' then return 'in-flight' end
if string.sub(current, 1, 5) == 'done:' then return 'done' end
return 'unexpected'
`;

/**
 * KEYS[1] key; ARGV[1] token; ARGV[2] done ms → completed | lease-expired | lease-taken | done-elsewhere
 * | unexpected. The handler DID run, so the key becomes done unless it already is — even when the lease
 * expired meanwhile or another claim holds it: a later delivery must be acknowledged, not processed again.
 */
const COMPLETE = `
local current = redis.call('GET', KEYS[1])
local done = 'done:' .. ARGV[1]
if current == done then return 'completed' end
if current and string.sub(current, 1, 5) == 'done:' then return 'done-elsewhere' end
if current and string.sub(current, 1, 9) ~= 'inflight:' then return 'unexpected' end
redis.call('SET', KEYS[1], done, 'PX', ARGV[2])
if current == 'inflight:' .. ARGV[1] then return 'completed' end
if current then return 'lease-taken' end
return 'lease-expired'
`;

/** KEYS[1] key; ARGV[1] token → released | not-held (the lease expired, was re-claimed or is done) */
const RELEASE = `
if redis.call('GET', KEYS[1]) == 'inflight:' .. ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 'released'
end
return 'not-held'
`;

export type ClaimReply = 'claimed' | 'in-flight' | 'done' | 'unexpected';
export type CompleteReply = 'completed' | 'lease-expired' | 'lease-taken' | 'done-elsewhere' | 'unexpected';
export type ReleaseReply = 'released' | 'not-held';

export interface IdempotencyScripts {
  claim(key: string, token: string, ttlMs: number): Promise<unknown>;
  complete(key: string, token: string, ttlMs: number): Promise<unknown>;
  release(key: string, token: string): Promise<unknown>;
}

// The script's digest in the command name: two versions of this package sharing one client never run
// each other's Lua under the same name.
const commandName = (verb: string, lua: string): string =>
  `ttpayIdempotency${verb}_${hash('sha1', lua, 'hex').slice(0, 10)}`;

const NAMES = {
  claim: commandName('Claim', CLAIM),
  complete: commandName('Complete', COMPLETE),
  release: commandName('Release', RELEASE),
} as const;

/**
 * Registers the scripts on the client with `defineCommand` (EVALSHA, loading the script on NOSCRIPT or
 * on a fresh connection) and returns typed callers.
 */
export function defineIdempotencyScripts(client: Redis | Cluster): IdempotencyScripts {
  const define = (name: string, lua: string): void => {
    if (typeof Reflect.get(client, name) !== 'function') client.defineCommand(name, { numberOfKeys: 1, lua });
  };
  define(NAMES.claim, CLAIM);
  define(NAMES.complete, COMPLETE);
  define(NAMES.release, RELEASE);
  const call = (name: string, args: string[]): Promise<unknown> => {
    const fn: unknown = Reflect.get(client, name);
    if (typeof fn !== 'function') throw new Error(`ioredis lost the custom command ${name}`);
    const reply: unknown = Reflect.apply(fn, client, args);
    return Promise.resolve(reply);
  };
  return {
    claim: (key, token, ttlMs) => call(NAMES.claim, [key, token, String(ttlMs)]),
    complete: (key, token, ttlMs) => call(NAMES.complete, [key, token, String(ttlMs)]),
    release: (key, token) => call(NAMES.release, [key, token]),
  };
}
