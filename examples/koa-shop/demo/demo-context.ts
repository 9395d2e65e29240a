import type { Simulator } from '@ttpay/simulator';
import type { Shop } from '#shop/app';
import type { ShopApi } from './shop-api.js';
import type { Transcript } from './transcript.js';

/** What every demo flow works with: the shop (over HTTP, and its clients), the simulator, the transcript. */
export interface DemoContext {
  shop: Shop;
  shopUrl: string;
  api: ShopApi;
  sim: Simulator;
  t: Transcript;
}
