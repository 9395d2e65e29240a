import { createHash, hash } from 'node:crypto';
import {
  ecpayRequestSigningString,
  signEcpayCallback,
  signEcpayRequest,
  verifyEcpayCallback,
} from '@ttpay/core';
import { sortUtf8AndJoin } from '@ttpay/core/internal';
import { naiveSignEcpayCallback, naiveSignEcpayRequest, naiveVerifyEcpayCallback } from '../naive/ecpay.js';
import { ecpayCallback, ecpayCallbackBody, ecpayRequest } from '../sample-inputs.js';
import type { MicroGroup } from './measure.js';

/** Douyin ecpay (PROTOCOLS.md §1.2–1.3): MD5 request signature, SHA-1 callback signature. */
export function ecpayGroups(): MicroGroup[] {
  const { params, salt } = ecpayRequest;
  const requestJoined = ecpayRequestSigningString(params, salt);
  const { token, timestamp, nonce, msg } = ecpayCallback;
  const callbackJoined = sortUtf8AndJoin([token, timestamp, nonce, msg], '');
  const callbackFloor = () => createHash('sha1').update(callbackJoined).digest('hex');

  return [
    {
      fn: 'signEcpayRequest',
      sameOutput: true,
      cases: [
        { label: 'ours: signEcpayRequest', role: 'ours', fn: () => signEcpayRequest(params, salt) },
        {
          label: "floor: createHash('md5') over the joined string",
          role: 'floor',
          fn: () => createHash('md5').update(requestJoined).digest('hex'),
        },
        {
          label: "one-shot crypto.hash('md5') over the joined string",
          role: 'reference',
          fn: () => hash('md5', requestJoined, 'hex'),
        },
        {
          label: 'naive: the PHP/Go demo in JavaScript',
          role: 'naive',
          fn: () => naiveSignEcpayRequest(params, salt),
        },
      ],
    },
    {
      fn: 'signEcpayCallback',
      sameOutput: true,
      cases: [
        { label: 'ours: signEcpayCallback', role: 'ours', fn: () => signEcpayCallback(ecpayCallback) },
        { label: "floor: createHash('sha1') over the joined string", role: 'floor', fn: callbackFloor },
        {
          label: "naive: the seed's Node.js example",
          role: 'naive',
          fn: () => naiveSignEcpayCallback(ecpayCallback),
        },
      ],
    },
    {
      fn: 'verifyEcpayCallback',
      sameOutput: false,
      cases: [
        {
          label: 'ours: verifyEcpayCallback (parse, verify, typed event)',
          role: 'ours',
          fn: () => verifyEcpayCallback({ rawBody: ecpayCallbackBody }, { token }),
        },
        { label: "floor: createHash('sha1') over the joined string", role: 'floor', fn: callbackFloor },
        {
          label: 'naive: JSON.parse, re-sign, ===, parse msg',
          role: 'naive',
          fn: () => naiveVerifyEcpayCallback(ecpayCallbackBody, token),
        },
      ],
    },
  ];
}
