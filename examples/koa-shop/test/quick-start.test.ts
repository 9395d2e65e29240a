import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { demoCredentials, ecpayCallback, tradeCallback, withBadSignature } from '@ttpay/testing';
import request from 'supertest';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const source = readFileSync(new URL('./quick-start.ts', import.meta.url), 'utf8');
const MARKER = '<!-- quick start: examples/koa-shop/test/quick-start.ts -->';

describe('the root README quick start', () => {
  it('is examples/koa-shop/test/quick-start.ts verbatim (which `tsc` type-checks and this test runs)', () => {
    const at = readme.indexOf(MARKER);
    expect(at, `README.md has no ${MARKER}`).toBeGreaterThan(-1);
    const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at + MARKER.length))?.[1];
    expect(block).toBe(source);
  });

  it('compiles under the repository settings (strict, NodeNext)', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const { config } = ts.readConfigFile(`${root}tsconfig.json`, ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
    const program = ts.createProgram([fileURLToPath(new URL('./quick-start.ts', import.meta.url))], options);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  }, 30_000);

  describe('runs', () => {
    let shop: typeof import('./quick-start.js');
    beforeAll(async () => {
      process.env.DOUYIN_TOKEN = demoCredentials.douyin.token;
      process.env.DOUYIN_PLATFORM_PUBLIC_KEY = demoCredentials.douyin.platformPublicKey;
      shop = await import('./quick-start.js');
    });

    const post = (d: { body: Buffer; headers: Record<string, string> }) =>
      // The exact bytes: no re-serialisation by supertest.
      request(shop.app.callback())
        .post('/douyin/notify')
        .set(d.headers)
        .serialize((body) => body)
        .send(d.body);

    it('takes ecpay and trade-system payments on one endpoint, once each', async () => {
      const ecpay = ecpayCallback({ type: 'payment', msg: { cp_orderno: 'qs_1', total_amount: 9900 } });
      await post(ecpay).expect(200, { err_no: 0, err_tips: 'success' });
      await post(ecpay).expect(200, { err_no: 0, err_tips: 'success' });
      await post(
        tradeCallback({ type: 'payment', msg: { out_order_no: 'qs_2', total_amount: 4900 } }),
      ).expect(200);
      expect([...shop.paidOrders]).toEqual([
        ['qs_1', 9900],
        ['qs_2', 4900],
      ]);
    });

    it('refuses a forged callback', async () => {
      const forged = withBadSignature(ecpayCallback({ type: 'payment', msg: { cp_orderno: 'qs_3' } }));
      await post(forged).expect(400, { err_no: 400, err_tips: 'SIGNATURE_MISMATCH' });
      expect(shop.paidOrders.has('qs_3')).toBe(false);
    });
  });
});
