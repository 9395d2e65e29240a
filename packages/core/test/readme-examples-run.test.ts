import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readmeBlocks, runReadmeBlocks } from '../../../test/support/readme-blocks.js';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));

describe('packages/core/README.md', () => {
  it('has an example for every platform, and each runs with its assertions passing', async () => {
    const blocks = readmeBlocks(readme);
    expect(blocks.length).toBe(6);
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
    ]) {
      expect(blocks.join('\n')).toContain(fn);
    }
    const modules = await runReadmeBlocks(readme);
    expect(modules).toHaveLength(6);
  });
});
