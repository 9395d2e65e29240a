import { verifyEcpayCallback } from '@ttpay/core';
import { demoCredentials } from '@ttpay/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownSecrets } from '../../../test/security/known-secrets.js';
import { type Browser, launchChromium } from './dashboard-browser.js';
import { createEcpayOrder, type Rig, startRig } from './dashboard-test-helpers.js';
import { ecpayCall } from './simulator-test-helpers.js';

// Headless Chromium (Debian's /usr/bin/chromium) drives the page against the simulator and a real Koa
// app on @ttpay/koa. Without Chromium these tests fail, saying how to install it: they never skip.

let rig: Rig;
let browser: Browser | undefined;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await browser?.close();
  await rig?.close();
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
    const event = verifyEcpayCallback(body, { token: demoCredentials.douyin.token });
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
    expect(await text(page, `${bad} td:nth-child(4)`)).toBe('400 not acknowledged');
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
