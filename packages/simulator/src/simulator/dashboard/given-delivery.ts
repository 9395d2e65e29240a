import type { SignedDelivery } from '@ttpay/testing';
import { type DeliveryPlan, isAlgoVoiAck, isDouyinAck, isTikTokAck } from '../deliver-with-retries.js';
import { SimulatorError } from '../simulator-error.js';

/** The CLI's own bounds (`ttpay send --concurrency/--times/--timeout`). */
const MAX_COPIES = 1000;
const MAX_TIMES = 1000;
const MAX_TIMEOUT_MS = 600_000;
const MAX_HEADERS = 50;

const ACK: Record<DeliveryPlan['platform'], (status: number, body: string) => boolean> = {
  douyin: isDouyinAck,
  tiktok: (status) => isTikTokAck(status),
  algovoi: (status) => isAlgoVoiAck(status),
};

export interface GivenDelivery {
  plan: DeliveryPlan;
  copies: number;
  times: number;
}

/**
 * `POST /_sim/api/deliveries {platform, url, headers, body_base64, copies?, times?, timeout_ms?}`: a
 * delivery signed elsewhere (`ttpay send --via-simulator`), to send exactly as given and journal. The
 * body comes as base64 so that its bytes arrive unchanged, valid UTF-8 or not (a `--broken truncated` one).
 */
export function givenDelivery(body: Record<string, unknown>): GivenDelivery {
  const platform = body.platform;
  if (platform !== 'douyin' && platform !== 'tiktok' && platform !== 'algovoi') {
    throw invalid('"platform" must be douyin, tiktok or algovoi.');
  }
  const url = httpUrl(body.url);
  const headers = stringRecord(body.headers);
  if (typeof body.body_base64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(body.body_base64)) {
    throw invalid('"body_base64" must be the body in base64.');
  }
  const bytes = Buffer.from(body.body_base64, 'base64');
  const delivery: SignedDelivery = { body: bytes, rawBody: bytes.toString('utf8'), headers };
  const copies = bounded(body.copies, 'copies', MAX_COPIES, 1);
  const times = bounded(body.times, 'times', MAX_TIMES, 1);
  const timeoutMs = bounded(body.timeout_ms, 'timeout_ms', MAX_TIMEOUT_MS, 10_000);
  return {
    plan: { url, platform, schedule: [], attempt: () => delivery, isAck: ACK[platform], timeoutMs },
    copies,
    times,
  };
}

function httpUrl(value: unknown): string {
  if (typeof value === 'string') {
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
    } catch {
      // reported below
    }
  }
  throw invalid('"url" must be an absolute http(s) URL.');
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('"headers" must be an object of strings.');
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_HEADERS) throw invalid(`"headers" holds at most ${MAX_HEADERS} headers.`);
  for (const [name, v] of entries) {
    if (typeof v !== 'string' || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
      throw invalid('"headers" must map header names to strings.');
    }
  }
  // fromEntries defines own properties: a header named __proto__ stays a header.
  return Object.fromEntries(entries.map(([name, v]) => [name.toLowerCase(), v as string]));
}

function bounded(value: unknown, name: string, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= max) return value;
  throw invalid(`"${name}" must be an integer from 1 to ${max}.`);
}

function invalid(message: string): SimulatorError {
  return new SimulatorError('INVALID_ARGUMENT', message);
}
