/**
 * Retry with exponential backoff and jitter for Salesforce calls. Retries what is transient
 * (network errors, 5xx, REQUEST_LIMIT_EXCEEDED, UNABLE_TO_LOCK_ROW, …) and never auth or
 * validation errors, which would only fail again.
 *
 * jsforce already retries some things at the transport level (GET/PUT/DELETE on ECONNRESET and
 * on 420/429/5xx, up to 5 times) and re-authenticates on 401; this layer covers the rest:
 * POST/PATCH network failures, error codes carried in 4xx bodies, and whole operations.
 */

export interface RetryInfo {
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  error: unknown;
  /** Why it was retried, e.g. 'REQUEST_LIMIT_EXCEEDED' or 'ECONNRESET'. */
  reason: string;
}

export interface RetryOptions {
  /** Retries after the first attempt. Default 4. */
  retries?: number;
  /** Backoff base. Default 500 ms. */
  baseMs?: number;
  /** Backoff cap. Default 30 s. */
  maxMs?: number;
  onRetry?: (info: RetryInfo) => void;
  /** Override the classification; return a reason string to retry, null not to. */
  retryable?: (error: unknown) => string | null;
  /** For tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  signal?: AbortSignal;
}

const RETRYABLE_ERROR_CODES = new Set([
  'REQUEST_LIMIT_EXCEEDED',
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'QUERY_TIMEOUT',
  'API_CURRENTLY_DISABLED', // maintenance windows
  'UNKNOWN_EXCEPTION',
]);

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/**
 * The Salesforce error code of a jsforce error. jsforce sets `errorCode` from the JSON error
 * body; when a response was read as text (Bulk CSV), it falls back to ERROR_HTTP_<status> with the
 * raw body as message, so look inside that too.
 */
export function salesforceErrorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { errorCode?: unknown; message?: unknown; data?: { errorCode?: unknown; message?: unknown } };
  const code = typeof e.errorCode === 'string' ? e.errorCode : undefined;
  if (code && /^ERROR_HTTP_\d+$/.test(code)) {
    const raw = typeof e.message === 'string' ? e.message : typeof e.data?.message === 'string' ? e.data.message : '';
    try {
      const parsed = JSON.parse(raw) as unknown;
      const first = Array.isArray(parsed) ? (parsed[0] as { errorCode?: unknown }) : undefined;
      if (first && typeof first.errorCode === 'string') return first.errorCode;
    } catch {
      // not JSON: keep ERROR_HTTP_<status>
    }
  }
  return code;
}

/** HTTP status when the error only carries it as ERROR_HTTP_<status>. */
function httpStatusOf(code: string | undefined): number | undefined {
  const m = code ? /^ERROR_HTTP_(\d{3})$/.exec(code) : null;
  return m ? Number(m[1]) : undefined;
}

/** Why an error is worth retrying (a short reason), or null when it is not. */
export function retryReason(error: unknown): string | null {
  if (!error || typeof error !== 'object') return null;
  const code = salesforceErrorCode(error);
  if (code && RETRYABLE_ERROR_CODES.has(code)) return code;
  const status = httpStatusOf(code);
  if (status !== undefined) return status >= 500 ? code! : null;
  const e = error as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && RETRYABLE_NETWORK_CODES.has(e.code)) return e.code;
  const message = typeof e.message === 'string' ? e.message : '';
  if (/socket hang up|ECONNRESET|ETIMEDOUT|network timeout|Premature close|other side closed/i.test(message)) {
    return /socket hang up/i.test(message) ? 'socket hang up' : (/(ECONNRESET|ETIMEDOUT)/.exec(message)?.[1] ?? 'network');
  }
  if (e.cause && e.cause !== error) return retryReason(e.cause);
  return null;
}

/** Delay before retry `attempt` (1-based): "equal jitter" between half and all of min(maxMs, baseMs·2^(attempt-1)). */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Run `fn`, retrying transient failures with exponential backoff and jitter. `fn` receives the
 * attempt number (0 first). Non-retryable errors and the last failure are rethrown unchanged.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 4;
  const baseMs = options.baseMs ?? 500;
  const maxMs = options.maxMs ?? 30_000;
  const classify = options.retryable ?? retryReason;
  const sleep = options.sleep ?? ((ms: number) => defaultSleep(ms, options.signal));
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const reason = attempt < retries ? classify(error) : null;
      if (reason === null || options.signal?.aborted) throw error;
      const delayMs = backoffDelay(attempt + 1, baseMs, maxMs, options.random);
      options.onRetry?.({ attempt: attempt + 1, delayMs, error, reason });
      await sleep(delayMs);
    }
  }
}
