/** What went wrong with one attempt, and what may be done about it. */
export type AttemptFailure =
	| { kind: 'http'; status: number; data: unknown; headers: unknown; retryAfterMs?: number }
	| { kind: 'network'; code: string; message: string; requestSent: boolean };

/** Network failures that happen before a request reaches Graph: repeating them is always safe. */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);

/** Statuses retried with backoff; any other 4xx is final. */
export const RETRYABLE_STATUSES = new Set([429, 503, 504]);

/** Statuses after which a write may or may not have happened. */
export function outcomeUnknown(failure: AttemptFailure): boolean {
	return failure.kind === 'network' ? failure.requestSent : failure.status >= 500;
}

export function isThrottling(failure: AttemptFailure): boolean {
	return (
		failure.kind === 'http' &&
		(failure.status === 429 || (failure.status === 503 && failure.retryAfterMs !== undefined))
	);
}

export function isRetryable(failure: AttemptFailure): boolean {
	return failure.kind === 'network' || RETRYABLE_STATUSES.has(failure.status);
}

/** `Retry-After` as seconds or an HTTP date (read against `now`), in milliseconds. */
export function parseRetryAfter(headers: unknown, now: number): number | undefined {
	if (typeof headers !== 'object' || headers === null) return undefined;
	const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'retry-after')?.[1];
	const value = Array.isArray(entry) ? entry[0] : entry;
	if (value === undefined || value === null || value === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(String(value));
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with jitter for failures that name no wait: 1-2 s, 2-4 s, 4-8 s ... up to 32 s. */
export function backoffMs(attempt: number): number {
	const base = Math.min(32_000, 2000 * 2 ** attempt);
	return base / 2 + Math.random() * (base / 2);
}

interface FailureShape {
	response?: { status?: number; data?: unknown; headers?: unknown };
	cause?: FailureShape;
	code?: string;
	message?: string;
}

/**
 * Reads a failed request: n8n hands back the HTTP client's error itself or (its
 * authenticated helpers) a NodeApiError whose `cause` is that error.
 */
export function classifyFailure(error: unknown, now: number): AttemptFailure | undefined {
	const failure = error as FailureShape;
	for (
		let current: FailureShape | undefined = failure, depth = 0;
		current && depth < 3;
		current = current.cause, depth++
	) {
		const response = current.response;
		if (typeof response?.status === 'number') {
			return {
				kind: 'http',
				status: response.status,
				data: response.data,
				headers: response.headers,
				retryAfterMs: parseRetryAfter(response.headers, now),
			};
		}
	}
	// n8n 1.x's authenticated helpers keep only the status and body of a failed answer
	// (no headers, so no Retry-After) on the NodeApiError they throw.
	const wrapped = error as { httpCode?: unknown; context?: { data?: unknown } };
	const wrappedStatus = Number(wrapped.httpCode);
	// A redirect's answer has no body to keep.
	if (
		Number.isInteger(wrappedStatus) &&
		((wrappedStatus >= 400 && wrapped.context?.data !== undefined) ||
			(wrappedStatus >= 300 && wrappedStatus < 400))
	) {
		return { kind: 'http', status: wrappedStatus, data: wrapped.context?.data, headers: undefined };
	}
	const code = failure.cause?.code ?? failure.code;
	// A cancelled execution is not a failure to retry.
	if (typeof code !== 'string' || code === 'ERR_CANCELED') return undefined;
	return {
		kind: 'network',
		code,
		message: failure.cause?.message ?? failure.message ?? code,
		requestSent: !NOT_SENT_CODES.has(code),
	};
}

/** The wait Graph asked for, if it named one. */
export function retryAfterOf(failure: AttemptFailure): number | undefined {
	return failure.kind === 'http' ? failure.retryAfterMs : undefined;
}
