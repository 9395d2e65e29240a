import { createHmac } from 'node:crypto';
import { signTikTokRequest, signTikTokWebhook, verifyTikTokWebhook } from '@ttpay/core';
import { naiveSignTikTokRequest, naiveSignTikTokWebhook, naiveVerifyTikTokWebhook } from '../naive/tiktok.js';
import { tiktokRequest, tiktokWebhook } from '../sample-inputs.js';
import type { MicroGroup } from './measure.js';

/** TikTok Shop (PROTOCOLS.md §3): HMAC-SHA256 webhooks and API requests. */
export function tiktokGroups(): MicroGroup[] {
  const { appKey, appSecret, rawBody, expected } = tiktokWebhook;
  const webhookJoined = Buffer.concat([Buffer.from(appKey), rawBody]);
  const webhookFloor = () => createHmac('sha256', appSecret).update(webhookJoined).digest('hex');

  const { path, query, body } = tiktokRequest;
  const secret = tiktokRequest.appSecret;
  const signedQuery = Object.keys(query)
    .filter((k) => k !== 'access_token' && k !== 'sign')
    .sort()
    .map((k) => `${k}${query[k]}`)
    .join('');
  const requestJoined = Buffer.concat([
    Buffer.from(`${secret}${path}${signedQuery}`),
    body,
    Buffer.from(secret),
  ]);

  return [
    {
      fn: 'signTikTokWebhook',
      sameOutput: true,
      cases: [
        {
          label: 'ours: signTikTokWebhook',
          role: 'ours',
          fn: () => signTikTokWebhook(rawBody, { appKey, appSecret }),
        },
        { label: "floor: createHmac('sha256') over app_key + body", role: 'floor', fn: webhookFloor },
        {
          label: 'naive: appKey + body.toString(), createHmac',
          role: 'naive',
          fn: () => naiveSignTikTokWebhook(rawBody, appKey, appSecret),
        },
      ],
    },
    {
      fn: 'verifyTikTokWebhook',
      sameOutput: false,
      cases: [
        {
          label: 'ours: verifyTikTokWebhook (verify, typed event)',
          role: 'ours',
          fn: () =>
            verifyTikTokWebhook({ rawBody, headers: { authorization: expected } }, { appKey, appSecret }),
        },
        { label: "floor: createHmac('sha256') over app_key + body", role: 'floor', fn: webhookFloor },
        {
          label: 'naive: re-sign, ===, JSON.parse',
          role: 'naive',
          fn: () => naiveVerifyTikTokWebhook(rawBody, expected, appKey, appSecret),
        },
      ],
    },
    {
      fn: 'signTikTokRequest',
      sameOutput: true,
      cases: [
        {
          label: 'ours: signTikTokRequest',
          role: 'ours',
          fn: () => signTikTokRequest({ path, query, body }, secret),
        },
        {
          label: "floor: createHmac('sha256') over the wrapped string",
          role: 'floor',
          fn: () => createHmac('sha256', secret).update(requestJoined).digest('hex'),
        },
        {
          label: 'naive: sorted keys, string built with +, createHmac',
          role: 'naive',
          fn: () => naiveSignTikTokRequest(path, query, body, secret),
        },
      ],
    },
  ];
}
