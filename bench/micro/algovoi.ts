import { createHmac } from 'node:crypto';
import { signAlgoVoiWebhook, verifyAlgoVoiWebhook } from '@ttpay/core';
import { naiveSignAlgoVoiWebhook, naiveVerifyAlgoVoiWebhook } from '../naive/algovoi.js';
import { algovoiWebhook } from '../sample-inputs.js';
import type { MicroGroup } from './measure.js';

/** AlgoVoi gateway webhooks (PROTOCOLS.md §4): base64 HMAC-SHA256 over the body. */
export function algovoiGroups(): MicroGroup[] {
  const { secret, rawBody } = algovoiWebhook;
  const floor = () => createHmac('sha256', secret).update(rawBody).digest('base64');
  const signature = floor();
  return [
    {
      fn: 'signAlgoVoiWebhook',
      sameOutput: true,
      cases: [
        { label: 'ours: signAlgoVoiWebhook', role: 'ours', fn: () => signAlgoVoiWebhook(rawBody, secret) },
        { label: "floor: createHmac('sha256') over the body", role: 'floor', fn: floor },
        {
          label: 'naive: the seed adapter in JavaScript',
          role: 'naive',
          fn: () => naiveSignAlgoVoiWebhook(rawBody, secret),
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
          fn: () => verifyAlgoVoiWebhook({ rawBody, signature }, secret),
        },
        { label: "floor: createHmac('sha256') over the body", role: 'floor', fn: floor },
        {
          label: 'naive: re-sign, constant-time compare, JSON.parse',
          role: 'naive',
          fn: () => naiveVerifyAlgoVoiWebhook(rawBody, signature, secret),
        },
      ],
    },
  ];
}
