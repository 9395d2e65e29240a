import { sign, verify } from 'node:crypto';
import { buildByteAuthorization, signTradeRequest, verifyTradeCallback } from '@ttpay/core';
// Internals by path, not through the package entry (which exports what users need).
import { tradeCallbackSigningBytes } from '../../packages/core/src/trade/callback.js';
import { tradeRequestSigningBytes } from '../../packages/core/src/trade/sign-request.js';
import { naiveByteAuthorization, naiveSignTradeRequest, naiveVerifyTradeCallback } from '../naive/trade.js';
import { tradeCallback, tradeKeys, tradeRequest } from '../sample-inputs.js';
import type { MicroGroup } from './measure.js';

/** Douyin trade system (PROTOCOLS.md §2): RSA-2048 PKCS#1 v1.5 SHA-256. */
export function tradeGroups(): MicroGroup[] {
  const keys = tradeKeys();
  const requestBytes = tradeRequestSigningBytes(tradeRequest);
  const signFloor = () => sign('sha256', requestBytes, keys.appPrivate).toString('base64');
  const callback = tradeCallback();
  const { headers, rawBody, nowMs } = callback;
  const callbackBytes = tradeCallbackSigningBytes(
    headers['byte-timestamp'] as string,
    headers['byte-nonce-str'] as string,
    rawBody,
  );
  const signature = Buffer.from(headers['byte-signature'] as string, 'base64');
  const now = () => nowMs;

  return [
    {
      fn: 'signTradeRequest',
      sameOutput: true,
      cases: [
        {
          label: 'ours: signTradeRequest (KeyObject)',
          role: 'ours',
          fn: () => signTradeRequest(tradeRequest, keys.appPrivate),
        },
        {
          label: 'ours with the PEM text (parsed on every call)',
          role: 'reference',
          fn: () => signTradeRequest(tradeRequest, keys.appPrivatePem),
        },
        { label: "floor: crypto.sign('sha256') over the joined bytes", role: 'floor', fn: signFloor },
        {
          label: 'naive: template string, createSign with the PEM text',
          role: 'naive',
          fn: () => naiveSignTradeRequest(tradeRequest, keys.appPrivatePem),
        },
      ],
    },
    {
      fn: 'buildByteAuthorization',
      sameOutput: true,
      cases: [
        {
          label: 'ours: buildByteAuthorization (KeyObject)',
          role: 'ours',
          fn: () => buildByteAuthorization(tradeRequest, keys.appPrivate),
        },
        {
          label: "floor: crypto.sign('sha256') + the header template",
          role: 'floor',
          fn: () =>
            `SHA256-RSA2048 appid=${tradeRequest.appId},nonce_str=${tradeRequest.nonce},timestamp=${tradeRequest.timestamp},key_version=${tradeRequest.keyVersion},signature=${signFloor()}`,
        },
        {
          label: 'naive: createSign with the PEM text + template',
          role: 'naive',
          fn: () => naiveByteAuthorization(tradeRequest, keys.appPrivatePem),
        },
      ],
    },
    {
      fn: 'verifyTradeCallback',
      sameOutput: false,
      cases: [
        {
          label: 'ours: verifyTradeCallback (KeyObject; verify, typed event)',
          role: 'ours',
          fn: () => verifyTradeCallback({ headers, rawBody }, { publicKey: keys.platformPublic, now }),
        },
        {
          label: "floor: crypto.verify('sha256') over the joined bytes",
          role: 'floor',
          fn: () => verify('sha256', callbackBytes, keys.platformPublic, signature),
        },
        {
          label: 'naive: createVerify with the PEM text, parse body and msg',
          role: 'naive',
          fn: () => naiveVerifyTradeCallback(headers, rawBody, keys.platformPublicPem, nowMs),
        },
      ],
    },
  ];
}
