import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { verifyEcpayCallback } from '@ttpay/core';
import { demoCredentials } from '@ttpay/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownSecrets } from '../../../test/security/known-secrets.js';
import { assertBinaryBuilt, runBinary } from './cli-binary.js';
import { type Browser, launchChromium } from './dashboard-browser.js';
import { createEcpayOrder, deliveryOf, type Rig, startRig, state } from './dashboard-test-helpers.js';
import { ecpayCall } from './simulator-test-helpers.js';

// Headless Chromium (Debian's /usr/bin/chromium) drives the page against the simulator and a real Koa
// app on @ttpay/koa. Without Chromium these tests fail, saying how to install it: they never skip.

let rig: Rig;
let browser: Browser | undefined;
/** An app that accepts connections and never answers: its deliveries stay in progress. */
const silent = createServer(() => {});
let silentApp: string;
beforeAll(async () => {
  rig = await startRig();
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentApp = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/douyin/notify`;
});
afterAll(async () => {
  await browser?.close();
  await rig?.close();
  silent.closeAllConnections();
  silent.close();
});

/** The dashboard in a new tab, once it is live (its event stream open, the state loaded). */
async function openDashboard(): Promise<{ page: Page; errors: string[] }> {
  browser ??= await launchChromium();
  const opened = await browser.newPage();
  await opened.page.goto(`${rig.sim.url}/_sim/`);
  await opened.page.locator('#connection[data-state="live"]').waitFor();
  await opened.page.locator('body[data-loaded="true"]').waitFor();
  return opened;
}

const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).textContent()) ?? '').trim();

describe('the dashboard in a real browser', () => {
  it('pays an order, shows the ack, resends 3 copies at once: all acknowledged, the payment applied once', async () => {
    const { page, errors } = await openDashboard();
    expect(await text(page, '#banner')).toContain('LOCAL SIMULATOR');

    // Created after the page loaded: it appears without a reload.
    await createEcpayOrder(rig.sim, 'order_6001', 'Oolong tea');
    const row = 'tr[data-order="order_6001"]';
    await expect.poll(() => text(page, `${row} .status`)).toBe('PROCESSING');
    await page.locator(`${row} button[data-action="pay"]`).click();

    const delivery = 'article[data-ref="order_6001"]';
    await expect.poll(() => page.locator(delivery).getAttribute('data-state')).toBe('acknowledged');
    expect(await text(page, `${delivery} tr[data-attempt="1"] td:nth-child(4)`)).toBe('200 acknowledged');
    await expect.poll(() => text(page, `${row} .status`)).toBe('SUCCESS');
    expect(rig.app.payments.get('order_6001')).toBe(1);

    // The bytes shown are the signed callback that went out; the reply is the app's ack.
    await page.locator(`${delivery} tr[data-attempt="1"] summary`).click();
    const body = await text(page, `${delivery} tr[data-attempt="1"] pre.request-body`);
    const event = verifyEcpayCallback({ rawBody: body }, { token: demoCredentials.douyin.token });
    expect(event.key).toBe('douyin:ecpay:payment:order_6001:SUCCESS');
    expect(await text(page, `${delivery} tr[data-attempt="1"] pre.reply-body`)).toBe(
      'HTTP 200\n\n{"err_no":0,"err_tips":"success"}',
    );

    await page.locator('#copies').fill('3');
    await page.locator(`${delivery} button[data-action="resend"]`).click();
    const resends = page.locator(`${delivery} tr[data-kind="resend"]`);
    await expect
      .poll(() => page.locator(`${delivery} tr[data-kind="resend"][data-status="200"]`).count())
      .toBe(3);
    expect(await resends.locator('td:nth-child(4)').allTextContents()).toEqual(
      Array(3).fill('200 acknowledged'),
    );
    // The details opened above stay open across the live re-renders.
    expect(await page.locator(`${delivery} tr[data-attempt="1"] details`).getAttribute('open')).toBe('');
    expect(rig.app.payments.get('order_6001')).toBe(1);
    expect(rig.app.applied.filter((k) => k === event.key)).toHaveLength(1);

    await page.locator('#copies').fill('1');
    await page.locator(`${delivery} button[data-action="bad-signature"]`).click();
    const bad = `${delivery} tr[data-kind="bad-signature"]`;
    await expect.poll(() => page.locator(bad).getAttribute('data-status')).toBe('400');
    // The row names the code the app answered with, not just its status.
    expect(await text(page, `${bad} td:nth-child(4)`)).toBe('400 not acknowledged · SIGNATURE_MISMATCH');
    expect(rig.app.payments.get('order_6001')).toBe(1);

    // Nothing on the page is a secret of the simulator.
    const shown = `${await page.content()}\n${await page.locator('body').textContent()}`;
    expect(
      knownSecrets()
        .filter((s) => shown.includes(s.value))
        .map((s) => s.name),
    ).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows attacker-shaped delivery text as text, never as markup', async () => {
    const { page, errors } = await openDashboard();
    const markup = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    await rig.sim.tiktok.sendWebhook(1, { order_id: markup, order_status: 'AWAITING_SHIPMENT' });

    const delivery = page.locator('article.delivery').filter({ hasText: '<img src=x onerror=' });
    await expect.poll(() => delivery.getAttribute('data-state')).toBe('acknowledged');
    expect(await delivery.locator('.ref').textContent()).toBe(markup);
    await delivery.locator('tr[data-attempt="1"] summary').click();
    expect(await delivery.locator('pre.request-body').textContent()).toContain(
      JSON.stringify(markup).slice(1, -1),
    );
    expect(await page.locator('article.delivery img, article.delivery script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
    // The Content-Security-Policy makes markup from a string impossible on this page (Trusted Types).
    const assigned = await page.locator('#message').evaluate((el: { innerHTML: string }) => {
      try {
        el.innerHTML = '<b>markup</b>';
        return 'assigned';
      } catch (error) {
        return (error as Error).name;
      }
    });
    expect(assigned).toBe('TypeError');
    errors.length = 0; // the refused assignment above is reported as a CSP violation
    expect(errors).toEqual([]);
    await page.close();
  });

  it('switches a platform outage on and off', async () => {
    const { page, errors } = await openDashboard();
    const douyin = page.locator('#outages button[data-platform="douyin"]');
    expect(await douyin.textContent()).toBe('Douyin: up');
    await douyin.click();
    await expect.poll(() => douyin.getAttribute('aria-pressed')).toBe('true');
    expect(await douyin.textContent()).toBe('Douyin: DOWN (503)');
    const call = () => fetch(`${rig.sim.url}/api/apps/ecpay/v1/query_order`, { method: 'POST', body: '{}' });
    expect((await call()).status).toBe(503);

    await douyin.click();
    await expect.poll(() => douyin.getAttribute('aria-pressed')).toBe('false');
    expect((await ecpayCall(rig.sim, 'query_order', { out_order_no: 'order_6001' })).json.err_no).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the dashboard helps find and read a delivery', () => {
  it('shows a loading state until the state arrives, never "No orders yet" before', async () => {
    browser ??= await launchChromium();
    const { page, errors } = await browser.newPage();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/_sim/api/state', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${rig.sim.url}/_sim/`);
    await page.locator('#connection[data-state="live"]').waitFor();
    expect(await page.locator('#loading').isVisible()).toBe(true);
    for (const empty of ['#orders-empty', '#deliveries-empty', '#api-calls-empty']) {
      expect(await page.locator(empty).isVisible(), empty).toBe(false);
    }
    release();
    await page.locator('body[data-loaded="true"]').waitFor();
    expect(await page.locator('#loading').isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("decodes a payload: ecpay's msg shown as JSON, the exact bytes beside it", async () => {
    await createEcpayOrder(rig.sim, 'order_6101');
    await rig.sim.douyin.pay('order_6101');
    const { page, errors } = await openDashboard();
    const attempt = 'article[data-ref="order_6101"] tr[data-attempt="1"]';
    await page.locator(`${attempt} summary`).click();
    const decoded = JSON.parse(await text(page, `${attempt} pre.request-decoded`)) as {
      msg: { cp_orderno: string; status: string };
    };
    expect(decoded.msg).toMatchObject({ cp_orderno: 'order_6101', status: 'SUCCESS' });
    expect(await text(page, `${attempt} pre.request-decoded`)).toContain('\n  "msg": {\n');
    expect(await text(page, `${attempt} h4:has(+ pre.request-decoded)`)).toContain(
      'msg: a JSON string, shown parsed',
    );
    // The exact bytes are still there, and still verify.
    const raw = await text(page, `${attempt} pre.request-body`);
    expect(verifyEcpayCallback({ rawBody: raw }, { token: demoCredentials.douyin.token }).key).toBe(
      'douyin:ecpay:payment:order_6101:SUCCESS',
    );
    expect(raw).toContain('\\"cp_orderno\\"');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('names a refused connection instead of "HTTP 0 / TypeError: fetch failed"', async () => {
    await createEcpayOrder(rig.sim, 'order_6102');
    const dead = `http://127.0.0.1:${await closedPort()}/douyin/notify`;
    void rig.sim.douyin.pay('order_6102', { url: dead }).catch(() => undefined);
    const { page, errors } = await openDashboard();
    const first = 'article[data-ref="order_6102"] tr[data-attempt="1"]';
    await expect.poll(() => text(page, `${first} td:nth-child(4)`)).toBe('no reply · ECONNREFUSED');
    await page.locator(`${first} summary`).click();
    expect(await text(page, `${first} pre.reply-body`)).toBe(
      'no HTTP reply: connection refused: nothing listens at that address (ECONNREFUSED)',
    );
    expect(await page.locator('body').textContent()).not.toContain('fetch failed');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a delivery sent by ttpay send --via-simulator, live', async () => {
    assertBinaryBuilt();
    const { page, errors } = await openDashboard();
    const sent = await runBinary([
      'send',
      'algovoi.paid',
      '--to',
      `${rig.app.url}/algovoi/webhook`,
      '--data',
      '{"payment_link_token":"tok_cli_6103"}',
      '--via-simulator',
      rig.sim.url,
    ]);
    expect(sent.code).toBe(0);
    const delivery = 'article[data-ref="tok_cli_6103"]';
    await expect.poll(() => page.locator(delivery).getAttribute('data-state')).toBe('acknowledged');
    expect(await text(page, `${delivery} tr[data-attempt="1"] td:nth-child(2)`)).toBe('ttpay send');
    expect(await text(page, `${delivery} tr[data-attempt="1"] td:nth-child(4)`)).toBe('200 acknowledged');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('filters deliveries by platform, type and outcome, and searches orders and deliveries by id', async () => {
    await createEcpayOrder(rig.sim, 'order_6104');
    await rig.sim.douyin.pay('order_6104');
    await createEcpayOrder(rig.sim, 'order_6106');
    void rig.sim.douyin.pay('order_6106', { url: silentApp }).catch(() => undefined);
    await deliveryOf(rig.sim, 'order_6106');
    await rig.sim.tiktok.sendWebhook(1, {
      order_id: '576461413038786104',
      order_status: 'AWAITING_SHIPMENT',
    });
    const { page, errors } = await openDashboard();
    const all = (await state(rig.sim)).deliveries;
    const shown = (attribute: string) =>
      page
        .locator('article.delivery')
        .evaluateAll((els, name) => els.map((el) => el.getAttribute(name as string) ?? ''), attribute);
    expect((await shown('data-delivery-id')).length).toBe(all.length);

    await page.locator('#filter-platform').selectOption('tiktok');
    expect(await shown('data-platform')).toEqual(
      all.filter((d) => d.platform === 'tiktok').map(() => 'tiktok'),
    );
    expect(await text(page, '#filter-count')).toBe(
      `${all.filter((d) => d.platform === 'tiktok').length} of ${all.length} deliveries`,
    );
    await page.locator('#filter-platform').selectOption('');

    await page.locator('#filter-type').selectOption('payment');
    const payments = all.filter((d) => d.type === 'payment').map((d) => String(d.id));
    expect(await shown('data-delivery-id')).toEqual(payments);
    await page.locator('#filter-type').selectOption('');

    await page.locator('#filter-outcome').selectOption('in-progress');
    // The delivery to an app that never answers stays in progress (5 s per attempt, 16 attempts).
    expect(await shown('data-ref')).toContain('order_6106');
    expect((await shown('data-state')).filter((st) => st !== 'sending' && st !== 'retry-scheduled')).toEqual(
      [],
    );
    expect(await shown('data-ref')).not.toContain('order_6104');
    await page.locator('#filter-outcome').selectOption('acknowledged');
    expect(await shown('data-ref')).toContain('order_6104');
    expect(new Set(await shown('data-state'))).toEqual(new Set(['acknowledged']));
    await page.locator('#filter-outcome').selectOption('');

    await page.locator('#filter-search').fill('ORDER_6104');
    expect(await shown('data-ref')).toEqual(['order_6104']);
    expect(
      await page
        .locator('#orders tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-order'))),
    ).toEqual(['order_6104']);
    await page.locator('#filter-search').fill('no such order');
    expect(await page.locator('#deliveries-empty').textContent()).toBe('No delivery matches the filter.');
    expect(await page.locator('#orders-empty').textContent()).toBe('No order matches the filter.');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists the API calls the app made to the simulator', async () => {
    await createEcpayOrder(rig.sim, 'order_6105');
    const { page, errors } = await openDashboard();
    const first = page.locator('#api-calls tbody tr').first();
    expect(await first.locator('td:nth-child(3)').textContent()).toBe('POST /api/apps/ecpay/v1/create_order');
    expect(await first.locator('td:nth-child(4)').textContent()).toBe('200');
    expect(await first.locator('td:nth-child(5)').textContent()).toBe('0');
    // Controls are not API calls of the app.
    expect(await page.locator('#api-calls').textContent()).not.toContain('/_sim/');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('copies a delivery as a curl command that sends the same request again', async () => {
    const { page, errors } = await openDashboard();
    await browser?.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: rig.sim.url });
    const attempt = 'article[data-ref="order_6101"] tr[data-attempt="1"]';
    await page.locator(`${attempt} summary`).click();
    await page.locator(`${attempt} button[data-action="copy-curl"]`).click();
    await expect.poll(() => text(page, '#message')).toBe('Copied curl command to the clipboard.');
    const copied = await page.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    );
    expect(copied).toBe(await text(page, `${attempt} pre.curl`));
    // Run as written: the app gets the same signed bytes and acknowledges them as the done duplicate.
    const { stdout } = await promisify(execFile)('sh', ['-c', `${copied} --silent --show-error`]);
    expect(stdout).toBe('{"err_no":0,"err_tips":"success"}');
    expect(rig.app.payments.get('order_6101')).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
