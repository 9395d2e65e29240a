/**
 * Takes the README's screenshots of the dashboard (packages/simulator/docs/*.png) with the browser the
 * tests use: `node --conditions=ttpay-source --import tsx packages/simulator/test/dashboard-screenshots.ts`
 * from the repository root. Not a test; it stages a few typical deliveries against the test app.
 */
import { fileURLToPath } from 'node:url';
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
  process.stdout.write(`wrote ${DOCS}dashboard.png and ${DOCS}dashboard-delivery.png\n`);
} finally {
  await browser.close();
  await rig.close();
}
