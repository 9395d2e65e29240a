import { readFile } from 'node:fs/promises';
import { AlgoVoiClient, DouyinEcpayClient, TikTokShopClient } from '@ttpay/client';
import { unsafeLoopbackTransportForTests } from '@ttpay/client/testing';
import { startSimulator } from '@ttpay/simulator';
import { demoCredentials as demo } from '@ttpay/testing';
import { expect, it } from 'vitest';

it('runs the README example against the simulator', async () => {
  // readme:start
  const sim = await startSimulator();
  const transport = unsafeLoopbackTransportForTests({ baseUrl: sim.url });

  const ecpay = new DouyinEcpayClient({ appId: demo.douyin.appId, salt: demo.douyin.salt, transport });
  const out_order_no = `readme_${Date.now()}`;
  const created = await ecpay.createOrder({
    out_order_no,
    total_amount: 9900,
    subject: 'Oolong tea',
    body: '250 g',
    valid_time: 900,
  });
  const { payment_info } = await ecpay.queryOrder({ out_order_no });

  // A TikTok order the buyer paid at TikTok's checkout: it ships through TikTok, and no gateway is involved.
  const tiktok = new TikTokShopClient({ ...demo.tiktok, transport });
  const orderId = sim.tiktok.addOrder({ total_amount: '12.34', currency: 'USD', package_ids: ['pkg_1'] });
  const { orders } = await tiktok.getOrders([orderId]);
  await tiktok.shipPackage('pkg_1', {}); // TikTok shipping; handover_method optional

  // A B2B invoice settled outside TikTok's checkout: the payer, amount and currency are yours.
  const algovoi = new AlgoVoiClient({ apiBase: 'https://pay.example.com', ...demo.algovoi, transport });
  const link = await algovoi.createPaymentLink({
    amount: '120.00',
    currency: 'GBP',
    label: 'Invoice INV-42 — Acme Fulfilment Ltd',
    preferred_network: 'algorand_mainnet',
  });
  const checkout = await algovoi.verifyPayment(link.token); // GET /checkout/{token}/status

  await sim.close();
  // readme:end

  expect(created.order_token).toMatch(/.+/);
  expect(payment_info.order_status).toBe('PROCESSING');
  expect(orders[0]?.payment).toMatchObject({ total_amount: '12.34', currency: 'USD' });
  expect(sim.tiktok.shipments(orderId)).toHaveLength(1);
  expect(checkout).toMatchObject({ paid: false, status: 'pending', token: link.token });
});

it('the README shows exactly the code this test runs', async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const source = await readFile(new URL(import.meta.url), 'utf8');
  const block = /## Testing against the local simulator[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBeDefined();
  const lines = (block as string).split('\n');
  const imports = lines.filter((l) => l.startsWith('import '));
  for (const line of imports) expect(source).toContain(line);
  const body = lines
    .filter((l) => !l.startsWith('import '))
    .join('\n')
    .trim();
  const tested = /\/\/ readme:start\n([\s\S]*?)\n\s*\/\/ readme:end/.exec(source)?.[1] ?? '';
  const dedented = tested
    .split('\n')
    .map((l) => l.replace(/^ {2}/, ''))
    .join('\n')
    .trim();
  expect(body).toBe(dedented);
});
