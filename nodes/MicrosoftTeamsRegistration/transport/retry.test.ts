/**
 * The retry rules: what Graph's answers mean for a resend, read against a given time.
 */
import {
	backoffMs,
	classifyFailure,
	isRetryable,
	isThrottling,
	outcomeUnknown,
	parseRetryAfter,
} from './retry';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);

test('Retry-After in seconds, or as an HTTP date read against the given time', () => {
	expect(parseRetryAfter({ 'Retry-After': '3' }, NOW)).toBe(3000);
	expect(parseRetryAfter({ 'retry-after': ['0'] }, NOW)).toBe(0);
	expect(parseRetryAfter({ 'retry-after': new Date(NOW + 7000).toUTCString() }, NOW)).toBe(7000);
	expect(parseRetryAfter({ 'retry-after': new Date(NOW - 7000).toUTCString() }, NOW)).toBe(0);
	expect(parseRetryAfter({ 'retry-after': 'soon' }, NOW)).toBeUndefined();
	expect(parseRetryAfter({}, NOW)).toBeUndefined();
	expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
});

test('backoff doubles from 1-2 s and stops growing at 16-32 s', () => {
	const range = (attempt: number) => {
		const waits = Array.from({ length: 200 }, () => backoffMs(attempt));
		return [Math.min(...waits), Math.max(...waits)];
	};
	for (const [attempt, low, high] of [
		[0, 1000, 2000],
		[1, 2000, 4000],
		[3, 8000, 16000],
		[4, 16000, 32000],
		[9, 16000, 32000],
	]) {
		const [min, max] = range(attempt);
		expect(min).toBeGreaterThanOrEqual(low);
		expect(max).toBeLessThanOrEqual(high);
	}
});

test('answers and network failures: what is retried, what is throttling, what leaves a write unknown', () => {
	const http = (status: number, headers: Record<string, string> = {}) =>
		classifyFailure({ response: { status, data: {}, headers } }, NOW)!;
	expect(http(429)).toMatchObject({ kind: 'http', status: 429, retryAfterMs: undefined });
	expect(isThrottling(http(429))).toBe(true);
	expect(isThrottling(http(503))).toBe(false);
	expect(isThrottling(http(503, { 'Retry-After': '2' }))).toBe(true);
	expect([429, 503, 504, 400, 403, 404].map((status) => isRetryable(http(status)))).toEqual([
		true,
		true,
		true,
		false,
		false,
		false,
	]);
	expect([500, 503, 504, 429, 400].map((status) => outcomeUnknown(http(status)))).toEqual([
		true,
		true,
		true,
		false,
		false,
	]);
	// n8n's NodeApiError wraps the HTTP client's error as its cause.
	expect(
		classifyFailure({ cause: { response: { status: 404, data: {}, headers: {} } } }, NOW),
	).toMatchObject({ kind: 'http', status: 404 });
	const reset = classifyFailure({ code: 'ECONNRESET', message: 'socket hang up' }, NOW)!;
	expect(reset).toEqual({
		kind: 'network',
		code: 'ECONNRESET',
		message: 'socket hang up',
		requestSent: true,
	});
	expect(outcomeUnknown(reset)).toBe(true);
	expect(outcomeUnknown(classifyFailure({ code: 'ECONNREFUSED', message: 'refused' }, NOW)!)).toBe(
		false,
	);
	expect(classifyFailure({ code: 'ERR_CANCELED' }, NOW)).toBeUndefined();
});
