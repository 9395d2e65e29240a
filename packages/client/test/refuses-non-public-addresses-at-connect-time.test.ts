import dns from 'node:dns';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:tls';
import { AlgoVoiClient, DouyinEcpayClient, TtpayClientError } from '@ttpay/client';
import { unsafeLoopbackTransportForTests } from '@ttpay/client/testing';
import { demoCredentials } from '@ttpay/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { addressCheckingLookup } from '../src/http/connect-time-address-check.js';
import { isPublicAddress } from '../src/http/public-address.js';
import { createSender } from '../src/http/sender.js';

const d = demoCredentials;

/**
 * A stand-in resolver: `dns.lookup` answers these names with these addresses (every other name goes to
 * the real resolver). It is what a hostile or hijacked DNS server would answer.
 */
function resolve(answers: Record<string, dns.LookupAddress[]>) {
  const real = dns.lookup;
  return vi.spyOn(dns, 'lookup').mockImplementation(((
    hostname: string,
    options: dns.LookupOptions,
    callback: (error: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
  ) => {
    const answer = answers[hostname];
    if (answer === undefined) return real(hostname, { ...options, all: true }, callback);
    process.nextTick(() => callback(null, answer));
  }) as unknown as typeof dns.lookup);
}

const v4 = (address: string): dns.LookupAddress => ({ address, family: 4 });
const v6 = (address: string): dns.LookupAddress => ({ address, family: 6 });

/** A TLS server on 127.0.0.1 counting every TCP connection it accepts (no certificate: nothing completes). */
let tlsServer: Server;
let port: number;
let connections = 0;
beforeAll(async () => {
  tlsServer = createServer();
  tlsServer.on('connection', (socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((ready) => tlsServer.listen(0, '127.0.0.1', ready));
  port = (tlsServer.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((closed) => tlsServer.close(() => closed())));
afterEach(() => {
  vi.restoreAllMocks();
  connections = 0;
});

async function refusal(promise: Promise<unknown>): Promise<TtpayClientError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TtpayClientError);
  return error as TtpayClientError;
}

describe('a public name that resolves to a non-public address, over a real socket', () => {
  it('is refused before connecting: ADDRESS_NOT_ALLOWED, and the server it points at sees nothing', async () => {
    const lookups = resolve({ 'pay.gateway.example': [v4('127.0.0.1')] });
    const send = createSender('algovoi', { retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const error = await refusal(
      send({
        method: 'GET',
        // The port is the test server's: the clients themselves only ever use 443 (allow-list.ts).
        origin: `https://pay.gateway.example:${port}`,
        path: '/checkout/tok_1',
        idempotent: true,
      }),
    );
    expect(error).toMatchObject({ code: 'NETWORK', networkCode: 'ADDRESS_NOT_ALLOWED', attempts: 1 });
    expect(lookups).toHaveBeenCalledWith('pay.gateway.example', expect.anything(), expect.any(Function));
    expect(connections).toBe(0);
  });

  it('the same server IS reached without the check (the loopback test transport): the count is real', async () => {
    const transport = unsafeLoopbackTransportForTests({ baseUrl: `https://127.0.0.1:${port}` });
    const send = createSender('algovoi', { transport, retry: { limit: 0 } });
    const error = await refusal(
      send({
        method: 'GET',
        origin: 'https://pay.gateway.example',
        path: '/checkout/tok_1',
        idempotent: true,
      }),
    );
    expect(error.code).toBe('NETWORK'); // the handshake fails: the server has no certificate
    expect(error.networkCode).not.toBe('ADDRESS_NOT_ALLOWED');
    expect(connections).toBeGreaterThan(0);
  });

  it.each(['https://127.0.0.1', 'https://[::1]', 'https://[::ffff:127.0.0.1]'])(
    'an IP literal %s (never looked up) is refused too',
    async (origin) => {
      const send = createSender('algovoi', { retry: { limit: 0 } });
      const error = await refusal(
        send({ method: 'GET', origin: `${origin}:${port}`, path: '/', idempotent: true }),
      );
      expect(error).toMatchObject({ code: 'NETWORK', networkCode: 'ADDRESS_NOT_ALLOWED' });
      expect(connections).toBe(0);
    },
  );
});

describe('through the clients', () => {
  const algovoi = (apiBase: string) =>
    new AlgoVoiClient({ apiBase, apiKey: d.algovoi.apiKey, tenantId: d.algovoi.tenantId });

  // Loopback answers only: were the check broken, the attempt would still stay on this machine.
  it.each([
    ['127.0.0.1.nip.io', [v4('127.0.0.1')]],
    ['gateway.example.com', [v4('127.0.0.53')]],
    ['gateway.example.com', [v6('::1')]],
    ['gateway.example.com', [v6('::ffff:127.0.0.1')]],
    ['gateway.example.com', [v4('0.0.0.0')]],
  ])('the AlgoVoi gateway at %s resolving to %j is refused when connecting', async (host, answer) => {
    const lookups = resolve({ [host]: answer });
    // Accepted when configured: the name is a public DNS name. Refused when the address is known.
    const client = algovoi(`https://${host}`);
    const error = await refusal(client.verifyPayment('tok_1'));
    expect(error).toMatchObject({ code: 'NETWORK', networkCode: 'ADDRESS_NOT_ALLOWED', host });
    // An idempotent call, yet not retried: another try would be refused the same way.
    expect(error.attempts).toBe(1);
    expect(lookups).toHaveBeenCalledWith(host, expect.anything(), expect.any(Function));
  });

  it('even an allow-listed platform host is refused when DNS sends it elsewhere', async () => {
    resolve({ 'developer.toutiao.com': [v4('127.0.0.1')] });
    const ecpay = new DouyinEcpayClient({ appId: d.douyin.appId, salt: d.douyin.salt });
    const error = await refusal(ecpay.queryOrder({ out_order_no: 'o1' }));
    expect(error).toMatchObject({ code: 'NETWORK', networkCode: 'ADDRESS_NOT_ALLOWED' });
  });
});

describe('the lookup (no socket)', () => {
  function lookup(hostname: string, all: boolean) {
    return new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((done) => {
      addressCheckingLookup(hostname, { all }, (error, address) => done({ error, address }));
    });
  }

  it.each([
    [v4('10.0.0.8')],
    [v4('172.20.1.1')],
    [v4('192.168.1.10')],
    [v4('100.100.100.200')], // CGNAT (Alibaba Cloud's metadata service)
    [v4('169.254.169.254')], // the cloud metadata address
    [v6('fd00:ec2::254')], // AWS's IPv6 metadata address (unique-local)
    [v6('fe80::1')],
    [v6('::ffff:169.254.169.254')],
    [v4('224.0.0.251')],
  ])('refuses an answer of %j', async (address) => {
    resolve({ 'gateway.example.com': [address] });
    for (const all of [true, false]) {
      const { error, address: passed } = await lookup('gateway.example.com', all);
      expect(error?.code).toBe('ADDRESS_NOT_ALLOWED');
      expect(passed).toBe('');
    }
  });

  it('refuses an answer with one non-public address among public ones (any of them may be tried)', async () => {
    resolve({ 'mixed.example.com': [v4('8.8.8.8'), v4('127.0.0.1')] });
    for (const all of [true, false]) {
      const { error } = await lookup('mixed.example.com', all);
      expect(error?.code).toBe('ADDRESS_NOT_ALLOWED');
    }
  });

  it('passes a public answer through in both shapes net asks for', async () => {
    const answer = [v4('8.8.8.8'), v6('2606:4700:4700::1111')];
    resolve({ 'public.example.com': answer });
    expect(await lookup('public.example.com', true)).toEqual({ error: null, address: answer });
    expect(await lookup('public.example.com', false)).toEqual({ error: null, address: '8.8.8.8' });
  });

  it('passes a resolver failure through unchanged', async () => {
    vi.spyOn(dns, 'lookup').mockImplementation(((_h: string, _o: unknown, cb: (e: Error) => void) => {
      process.nextTick(() => cb(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })));
    }) as unknown as typeof dns.lookup);
    expect((await lookup('nowhere.example.com', true)).error?.code).toBe('ENOTFOUND');
  });
});

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '100.127.255.254',
    '169.254.169.254',
    '0.0.0.0',
    '0.1.2.3',
    '224.0.0.1',
    '255.255.255.255',
    '240.0.0.1',
    '192.0.0.192', // Oracle Cloud's metadata address (IETF protocol assignments)
    '192.0.2.1',
    '198.18.0.1',
    '::',
    '::1',
    '::7f00:1', // IPv4-compatible ::127.0.0.1
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd00:ec2::254',
    'ff02::1',
    '64:ff9b::7f00:1', // NAT64 of 127.0.0.1
    '2002:7f00:1::', // 6to4 of 127.0.0.1
    '2001::1', // Teredo
    '2001:db8::1',
    'fec0::1',
    'not an address',
    '',
  ])('%j is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    '%j is public',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});
