/** Is `hostname` (as `URL#hostname` gives it) this machine? */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127(?:\.\d{1,3}){3}$/.test(host)
  );
}

/**
 * Why `value` is not an acceptable callback URL, or undefined when it is. The platforms demand https
 * (docs/PROTOCOLS.md §1.1 notify_url); the simulator also accepts plain http to a loopback host, because it
 * delivers to apps running on this machine.
 */
export function notifyUrlProblem(value: unknown, field: string, maxBytes: number): string | undefined {
  if (typeof value !== 'string' || value === '') return `${field} must be a non-empty string`;
  if (Buffer.byteLength(value) > maxBytes) return `${field} must be at most ${maxBytes} bytes`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${field} must be an absolute URL`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  return `${field} must start with https:// (the simulator also accepts http:// to a loopback host)`;
}
