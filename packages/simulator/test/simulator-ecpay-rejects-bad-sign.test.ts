import { signEcpayRequest } from '@ttpay/core';
import { demoCredentials } from '@ttpay/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.js';
import { ECPAY_ERR_NO } from '../src/simulator/ecpay-api.js';
import { ecpayCall, postJson } from './simulator-test-helpers.js';

const { appId, salt } = demoCredentials.douyin;
let sim: Simulator;

beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

const fields = {
  out_order_no: 'order_2001',
  total_amount: 9900,
  subject: 'Tea',
  body: 'A demo order',
  valid_time: 900,
  disable_msg: 0,
};
const createOrder = (body: unknown) => postJson(`${sim.url}/api/apps/ecpay/v1/create_order`, body);

async function orderExists(): Promise<boolean> {
  return (await ecpayCall(sim, 'query_order', { out_order_no: 'order_2001' })).json.err_no === 0;
}

describe('the simulated ecpay API rejects what the platform rejects, with HTTP 200 and err_no != 0', () => {
  it('a sign made with another salt', async () => {
    const params = { app_id: appId, ...fields };
    const res = await createOrder({ ...params, sign: signEcpayRequest(params, 'not_the_salt') });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      err_no: ECPAY_ERR_NO.BAD_SIGN,
      err_tips: expect.stringContaining('sign'),
    });
    expect(await orderExists()).toBe(false);
  });

  it("the JavaScript `0 == ''` bug: a signer that drops disable_msg: 0 (PROTOCOLS.md §1.2 step 3)", async () => {
    const { disable_msg: _dropped, ...withoutZero } = fields;
    const res = await createOrder({ app_id: appId, ...fields, sign: signEcpayRequest(withoutZero, salt) });
    expect(res.json.err_no).toBe(ECPAY_ERR_NO.BAD_SIGN);
  });

  it('a field changed after signing', async () => {
    const params = { app_id: appId, ...fields };
    const res = await createOrder({ ...params, total_amount: 1, sign: signEcpayRequest(params, salt) });
    expect(res.json.err_no).toBe(ECPAY_ERR_NO.BAD_SIGN);
    expect(await orderExists()).toBe(false);
  });

  it('a missing sign, a wrong app_id, and a body that is not JSON', async () => {
    expect((await createOrder({ app_id: appId, ...fields })).json.err_no).toBe(ECPAY_ERR_NO.BAD_SIGN);
    const other = { app_id: 'tt_someone_else', ...fields };
    expect((await createOrder({ ...other, sign: signEcpayRequest(other, salt) })).json.err_no).toBe(
      ECPAY_ERR_NO.UNKNOWN_APP,
    );
    const garbage = await createOrder('out_order_no=order_2001&total_amount=9900');
    expect(garbage).toMatchObject({ status: 200, json: { err_no: ECPAY_ERR_NO.INVALID_PARAMS } });
  });

  it('accepts the same request signed correctly (app_id and sign take no part in the signature)', async () => {
    const res = await ecpayCall(sim, 'create_order', fields);
    expect(res.json.err_no).toBe(0);
    expect(await orderExists()).toBe(true);
  });
});
