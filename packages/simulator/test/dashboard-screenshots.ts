/**
 * Takes the README's screenshots of the dashboard (packages/simulator/docs/*.png) with the browser the
 * tests use: `node --conditions=ttpay-source --import tsx packages/simulator/test/dashboard-screenshots.ts`
 * from the repository root. Not a test; it stages a few typical deliveries against the test app.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { signedEcpayCallback } from '@ttpay/testing';
import { launchChromium } from './dashboard-browser.js';
import {
  createEcpayOrder,
  createPaymentLink,
  createTradeOrder,
  deliveryOf,
  press,
  settled,
  startRig,
} from './dashboard-test-helpers.js';

const DOCS = fileURLToPath(new URL('../docs/', import.meta.url));

// Time scale 1: the platforms' real schedules, so a failed delivery shows its next retry 15 s away.
const rig = await startRig(1);
const browser = await launchChromium();
try {
  const { sim, app } = rig;
  await createEcpayOrder(sim, 'dy_1001', 'Oolong tea, 250 g');
  await createTradeOrder(sim, 'dy_1002');
  const token = await createPaymentLink(sim);
  const tiktokOrder = sim.tiktok.addOrder({
    total_amount: '12.34',
    currency: 'USD',
    id: '576461413038785752',
  });
  await sim.douyin.pay('dy_1001', { duplicates: 1 });
  const paid = await deliveryOf(sim, 'dy_1001', (d) => d.state === 'acknowledged');
  await press(sim, `/_sim/api/deliveries/${paid.id}/resend`, { copies: 3 });
  await press(sim, `/_sim/api/deliveries/${paid.id}/resend`, { break: 'bad-signature' });
  await deliveryOf(sim, 'dy_1001', (d) => d.attempts.length === 6 && settled(d));
  await sim.tiktok.sendWebhook(1, { order_id: tiktokOrder, order_status: 'AWAITING_SHIPMENT' });
  await sim.algovoi.pay(token);
  app.failNextDouyin(1);
  void sim.douyin.pay('dy_1002');
  await deliveryOf(sim, 'dy_1002', (d) => d.state === 'retry-scheduled');
  await createEcpayOrder(sim, 'dy_1003', 'Jasmine tea, 100 g');
  // An app that is not listening: the attempt says so (ECONNREFUSED).
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/douyin/notify`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  void sim.douyin.pay('dy_1003', { url: deadUrl });
  await deliveryOf(sim, 'dy_1003', (d) => d.state === 'retry-scheduled');
  // What `ttpay send ecpay.refund --via-simulator` hands the simulator.
  const refund = signedEcpayCallback({
    type: 'refund',
    msg: { cp_refundno: 'rf_1001', cp_orderno: 'dy_1001' },
  });
  await press(sim, '/_sim/api/deliveries', {
    platform: 'douyin',
    url: `${app.url}/douyin/notify`,
    headers: refund.headers,
    body_base64: refund.body.toString('base64'),
  });
  await press(sim, '/_sim/api/outages/tiktok', { on: true }, 'PUT');

  const { page } = await browser.newPage();
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto(`${sim.url}/_sim/`);
  await page.locator('body[data-loaded="true"]').waitFor();
  await page.locator('#connection[data-state="live"]').waitFor();
  await page.screenshot({ path: `${DOCS}dashboard.png` });

  const delivery = page.locator(`article[data-delivery-id="${paid.id}"]`);
  await delivery.locator('tr[data-attempt="1"] summary').click();
  await delivery.locator('tr[data-attempt="6"] summary').click();
  await delivery.screenshot({ path: `${DOCS}dashboard-delivery.png` });

  // Searching for one order: its row, its deliveries, the API calls about it.
  await page.locator('#filter-search').fill('dy_1003');
  await page.locator('#filter-platform').selectOption('douyin');
  await page.screenshot({ path: `${DOCS}dashboard-search.png`, fullPage: true });
  await page.locator('#filter-search').fill('');
  await page.locator('#filter-platform').selectOption('');
  await page.locator('section:has(#api-calls)').screenshot({ path: `${DOCS}dashboard-api-calls.png` });
  const written = [
    'dashboard.png',
    'dashboard-delivery.png',
    'dashboard-search.png',
    'dashboard-api-calls.png',
  ];
  process.stdout.write(`wrote ${written.map((f) => `${DOCS}${f}`).join(', ')}\n`);
} finally {
  await browser.close();
  await rig.close();
}
