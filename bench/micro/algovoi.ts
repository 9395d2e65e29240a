import { createHmac } from 'node:crypto';
import { signAlgoVoiWebhook, verifyAlgoVoiWebhook } from '@ttpay/core';
import { naiveSignAlgoVoiWebhook, naiveVerifyAlgoVoiWebhook } from '../naive/algovoi.js';
import { algovoiWebhook } from '../sample-inputs.js';
import type { MicroGroup } from './measure.js';

/**
 * AlgoVoi gateway webhooks (PROTOCOLS.md §4.3): HMAC-SHA256 and HMAC-SHA384 (HKDF key) over "{t}." + body.
 * The floor is the one HMAC-SHA256 every scheme needs.
 */
export function algovoiGroups(): MicroGroup[] {
  const { secret, rawBody, timestamp } = algovoiWebhook;
  const signed = Buffer.concat([Buffer.from(`${timestamp}.`), rawBody]);
  const floor = () => createHmac('sha256', secret).update(signed).digest('hex');
  const header = signAlgoVoiWebhook(rawBody, secret, { timestamp });
  const headers = { 'x-algovoi-signature': header };
  const now = () => timestamp * 1000;
  return [
    {
      fn: 'signAlgoVoiWebhook',
      // The floor makes only the v1 digest; ours and naive agree (test/bench-baselines.test.ts).
      sameOutput: false,
      cases: [
        {
          label: 'ours: signAlgoVoiWebhook',
          role: 'ours',
          fn: () => signAlgoVoiWebhook(rawBody, secret, { timestamp }),
        },
        { label: "floor: createHmac('sha256') over the signed bytes", role: 'floor', fn: floor },
        {
          label: 'naive: the published verifier’s steps in JavaScript',
          role: 'naive',
          fn: () => naiveSignAlgoVoiWebhook(rawBody, secret, timestamp),
        },
      ],
    },
    {
      fn: 'verifyAlgoVoiWebhook',
      sameOutput: false,
      cases: [
        {
          label: 'ours: verifyAlgoVoiWebhook (verify, event)',
          role: 'ours',
          fn: () => verifyAlgoVoiWebhook({ rawBody, headers }, { secret, now }),
        },
        { label: "floor: createHmac('sha256') over the signed bytes", role: 'floor', fn: floor },
        {
          label: 'naive: parse, window, re-sign v1+v2, constant-time compare, JSON.parse',
          role: 'naive',
          fn: () => naiveVerifyAlgoVoiWebhook(rawBody, header, secret, timestamp),
        },
      ],
    },
  ];
}
