/** Why a request got no HTTP reply, named: a stable code and a sentence for people. */
export interface FetchFailure {
  /** `TIMEOUT`, `CLOSED`, or the system or undici code: `ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`… */
  code: string;
  message: string;
}

const EXPLAINED: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing listens at that address',
  ECONNRESET: 'the connection was reset before a reply',
  EPIPE: 'the connection closed while the request was being sent',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS unavailable)',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection closed before a full reply',
  UND_ERR_HEADERS_TIMEOUT: 'no reply headers in time',
  UND_ERR_BODY_TIMEOUT: 'the reply body stalled',
};

/**
 * Names what went wrong with a `fetch` that rejected: undici reports every network failure as
 * "TypeError: fetch failed" and keeps the reason in `cause` (a system error code, or its own).
 */
export function describeFetchFailure(error: unknown, timeoutMs: number): FetchFailure {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError') return { code: 'TIMEOUT', message: `no reply within ${timeoutMs} ms` };
  if (name === 'AbortError') return { code: 'CLOSED', message: 'stopped: the simulator was closing' };
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code !== undefined) return { code, message: `${EXPLAINED[code] ?? 'no reply'} (${code})` };
  const reason = typeof cause?.message === 'string' && cause.message !== '' ? cause.message : undefined;
  return { code: 'NETWORK_ERROR', message: reason ? `no reply: ${reason}` : 'no reply (network error)' };
}
