import { RedisStore } from '@ttpay/store-redis';

// The store creates the connection from the URL, owns it, and quits it on close().
const store = new RedisStore({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });

// What @ttpay/koa does for every verified callback (pass `store` to it and it does this for you).
async function deliver(key: string, handler: () => Promise<void>): Promise<'ack' | 'retry later'> {
  const claim = await store.claim(key, 60_000); // the lease: longer than the handler can take
  if (claim.status === 'done') return 'ack'; // processed before: acknowledge, do not run it again
  if (claim.status === 'in-flight') return 'retry later'; // another instance is on it right now
  try {
    await handler();
  } catch (error) {
    await store.release(claim.lease); // not processed: the platform's retry may take it
    throw error;
  }
  await store.complete(claim.lease, 7 * 24 * 3_600_000); // remember it for a week
  return 'ack';
}

let applied = 0;
const key = `douyin:payment:example-${Date.now()}`;
console.log(await deliver(key, async () => void applied++)); // ack
console.log(await deliver(key, async () => void applied++)); // ack (a duplicate: not applied again)
console.log(applied); // 1
await store.close();
