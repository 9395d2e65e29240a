import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { type CaptureServer, type Responder, startCaptureServer } from './helpers/capture-server.js';
import { testClients } from './helpers/clients.js';

let platform: CaptureServer;
let elsewhere: CaptureServer;
beforeAll(async () => {
  platform = await startCaptureServer();
  elsewhere = await startCaptureServer();
});
afterAll(async () => {
  await platform.close();
  await elsewhere.close();
});
beforeEach(() => {
  platform.requests.length = 0;
  elsewhere.requests.length = 0;
});

const redirectTo =
  (location: () => string, status = 302): Responder =>
  (_req, res) => {
    res.writeHead(status, { location: location() });
    res.end();
  };

it.each([301, 302, 303, 307, 308])(
  'a %i to another host is refused, and the other host hears nothing',
  async (status) => {
    platform.respond(redirectTo(() => `${elsewhere.url}/steal`, status));
    const { ecpay } = testClients(platform.url);
    await expect(ecpay.queryOrder({ out_order_no: 'o' })).rejects.toMatchObject({
      code: 'REDIRECT_REFUSED',
      status,
      attempts: 1, // not retried either
    });
    expect(platform.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
  },
);

it('a redirect to an internal address is refused for every client', async () => {
  platform.respond(redirectTo(() => 'http://169.254.169.254/latest/meta-data/'));
  const { tiktok, algovoi, trade } = testClients(platform.url);
  await expect(tiktok.getOrders(['1'])).rejects.toMatchObject({ code: 'REDIRECT_REFUSED' });
  await expect(algovoi.verifyPayment('t')).rejects.toMatchObject({ code: 'REDIRECT_REFUSED' });
  await expect(trade.clientToken()).rejects.toMatchObject({ code: 'REDIRECT_REFUSED' });
  expect(platform.requests).toHaveLength(3);
});
