import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readmeBlocks, runReadmeBlocks } from '../../../test/support/readme-blocks.js';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const readmeZh = fileURLToPath(new URL('../README.zh-CN.md', import.meta.url));

describe('packages/core/README.md', () => {
  it('has an example for every platform and for a store of your own, and each runs with its assertions passing', async () => {
    const blocks = readmeBlocks(readme);
    expect(blocks.length).toBe(7);
    for (const fn of [
      'signEcpayRequest',
      'verifyEcpayCallback',
      'buildByteAuthorization',
      'verifyTradeCallback',
      'signTikTokWebhook',
      'verifyTikTokWebhook',
      'signTikTokRequest',
      'verifyAlgoVoiWebhook',
      'webHandler',
      'isPublishedDemoValue',
      'isPublishedDemoKey',
      'newLeaseToken',
      'storableKey',
    ]) {
      expect(blocks.join('\n')).toContain(fn);
    }
    const modules = await runReadmeBlocks(readme);
    expect(modules).toHaveLength(7);
  });
});

describe('packages/core/README.zh-CN.md (the Douyin path, in Chinese)', () => {
  it('runs: ecpay, the trade system with a refund application, and the delivery engine', async () => {
    const blocks = readmeBlocks(readmeZh);
    expect(blocks.length).toBe(3);
    for (const fn of ['verifyEcpayCallback', 'verifyTradeCallback', 'onRefundApplication', 'webHandler']) {
      expect(blocks.join('\n')).toContain(fn);
    }
    const modules = await runReadmeBlocks(readmeZh);
    expect(modules).toHaveLength(3);
  });
});
