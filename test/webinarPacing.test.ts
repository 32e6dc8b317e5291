/**
 * Graph allows 15 webinar writes (registrations, cancellations) per 30 seconds per app,
 * across all tenants. The sandbox enforces that with a token bucket (429 + Retry-After);
 * the node's write operations run at 0.5 requests per second by default, which never trips
 * it, even when another workflow of the same app has just used up most of the burst.
 */
import { sandboxOnVirtualTime } from './support/sandboxFixture';
import type { GraphSandbox } from './support/enrollWorkflow';
import { DEFAULT_DELEGATED_TOKEN, NODE_NAME } from './support/enrollWorkflow';
import { runOperation, startSandboxWithAuthority } from './support/lifecycleWorkflow';
import {
	ATTENDEE_KIND,
	DELEGATED,
	byRegistrationId,
	byWebinarId,
	prepareWebinarSandbox,
	questionMapping,
	webinarPathOf,
	webinarRequests,
} from './support/webinarWorkflow';

const OTHER_WORKFLOW_TOKEN = 'sandbox-other-workflow-app-token';

let sandbox: GraphSandbox;

sandboxOnVirtualTime({
	start: startSandboxWithAuthority,
	prepare: (fresh) => {
		prepareWebinarSandbox(fresh);
		// another workflow using the same app (the sandbox plays one app): an application token
		fresh.addToken(OTHER_WORKFLOW_TOKEN, {
			userId: 'other-workflow-service-principal',
			kind: 'application',
		});
	},
	use: (fresh) => {
		sandbox = fresh;
	},
});

/** `count` registrations made by another workflow of the same app, each one of Graph's webinar writes. */
async function registeredByAnotherWorkflow(webinarId: string, count: number): Promise<string[]> {
	for (let i = 0; i < count; i++) {
		const response = await fetch(`${sandbox.url}${webinarPathOf(webinarId)}/registrations`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${OTHER_WORKFLOW_TOKEN}`,
				'content-type': 'application/json',
			},
			body: JSON.stringify({
				firstName: 'Guest',
				lastName: String(i),
				email: `guest-${i}@example.com`,
				preferredTimezone: 'UTC',
				preferredLanguage: 'en-us',
			}),
		});
		if (response.status !== 204)
			throw new Error(`registration ${i} answered ${response.status}: ${await response.text()}`);
	}
	sandbox.clearLog();
	return sandbox.virtualEvents
		.registrationsOf(webinarId)
		.map((registration: { id: string }) => registration.id);
}

const cancelWrites = () =>
	webinarRequests(sandbox).filter(
		(request) => request.method === 'POST' && request.rawPath.endsWith('/cancel'),
	);
const gaps = (times: number[]) => times.slice(1).map((time, i) => time - times[i]);

function cancelEach(webinarId: string, requestOptions?: Record<string, number>) {
	return {
		resource: 'webinarRegistration',
		operation: 'cancel',
		webinar: byWebinarId(webinarId),
		registration: byRegistrationId('={{ $json.id }}'),
		...(requestOptions ? { requestOptions } : {}),
	};
}

describe("the sandbox's cap: 15 writes per 30 s per app", () => {
	test('a burst of 15 passes; the 16th is answered 429 with Retry-After 2 (one write comes back every 2 s)', async () => {
		const webinar = sandbox.virtualEvents.createWebinar();
		await registeredByAnotherWorkflow(webinar.id, 15);
		const response = await fetch(
			`${sandbox.url}${webinarPathOf(webinar.id)}/registrations/any/cancel`,
			{
				method: 'POST',
				headers: { authorization: `Bearer ${DEFAULT_DELEGATED_TOKEN}` },
			},
		);
		expect(response.status).toBe(429);
		expect(response.headers.get('retry-after')).toBe('2');
		expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
			'TooManyRequests',
		);
	});
});

describe("the write operations' default pace: 0.5 per second", () => {
	test('cancel: writes 2 s apart; with 13 of the 15 used by another workflow just before, Graph throttles none', async () => {
		const webinar = sandbox.virtualEvents.createWebinar();
		const ids = await registeredByAnotherWorkflow(webinar.id, 13);
		const run = await runOperation(sandbox, {
			kind: DELEGATED,
			parameters: cancelEach(webinar.id),
			inputItems: ids.slice(0, 3).map((id) => ({ id })),
		});

		expect(run.error?.message).toBeUndefined();
		const writes = cancelWrites();
		expect(writes.map((request) => request.status)).toEqual([204, 204, 204]);
		expect(gaps(writes.map((request) => request.time))).toEqual([2000, 2000]);
		expect(sandbox.virtualEvents.stats.throttledWrites).toBe(0);
		expect(run.outputOf(NODE_NAME).map((item) => item.json.canceled)).toEqual([true, true, true]);
	});

	test('faster than that ("Max Requests per Second" 2): Graph answers 429, the node waits the Retry-After and each cancellation happens once', async () => {
		const webinar = sandbox.virtualEvents.createWebinar();
		const ids = await registeredByAnotherWorkflow(webinar.id, 13);
		const run = await runOperation(sandbox, {
			kind: DELEGATED,
			parameters: cancelEach(webinar.id, { maxRequestsPerSecond: 2 }),
			inputItems: ids.slice(0, 3).map((id) => ({ id })),
		});

		expect(run.error?.message).toBeUndefined();
		const writes = cancelWrites();
		const throttled = writes.findIndex((request) => request.status === 429);
		expect(throttled).toBeGreaterThan(0);
		expect((writes[throttled] as unknown as { responseBody: unknown }).responseBody).toMatchObject({
			error: { code: 'TooManyRequests' },
		});
		// Sent every 500 ms until Graph throttled; the next write goes exactly when Retry-After ends.
		expect(gaps(writes.slice(0, throttled + 1).map((request) => request.time))).toEqual(
			Array(throttled).fill(500),
		);
		const retryAfterMs = Number(writes[throttled].responseHeaders?.['Retry-After']) * 1000;
		expect(retryAfterMs).toBeGreaterThan(0);
		expect(writes[throttled + 1].time - writes[throttled].time).toBe(retryAfterMs);
		expect(writes.filter((request) => request.status === 204)).toHaveLength(3);
		const statuses = sandbox.virtualEvents
			.registrationsOf(webinar.id)
			.map((registration: { status: string }) => registration.status);
		expect(statuses.filter((status: string) => status === 'canceled')).toHaveLength(3);
	});

	test("register: reads and writes are separate budgets, so the registration goes as soon as its webinar's questions are read", async () => {
		const webinar = sandbox.virtualEvents.createWebinar();
		const run = await runOperation(sandbox, {
			kind: ATTENDEE_KIND,
			parameters: {
				resource: 'webinarRegistration',
				operation: 'register',
				webinar: byWebinarId(webinar.id),
				questionAnswers: questionMapping([], {}),
			},
		});

		expect(run.error?.message).toBeUndefined();
		const [questions, registration] = webinarRequests(sandbox);
		expect(questions.rawPath).toBe(
			`${webinarPathOf(webinar.id)}/registrationConfiguration/questions`,
		);
		expect([registration.method, registration.status]).toEqual(['POST', 201]);
		expect(registration.time - questions.time).toBe(0);
	});
});

describe('the same arithmetic in a scaled-down window (3 writes per second)', () => {
	test('a rate of requests ÷ window never trips the bucket, even for twice its burst', async () => {
		const webinar = sandbox.virtualEvents.createWebinar();
		const ids = await registeredByAnotherWorkflow(webinar.id, 6);
		sandbox.virtualEvents.setWriteLimit({ requests: 3, perMs: 1000 });
		const run = await runOperation(sandbox, {
			kind: DELEGATED,
			parameters: cancelEach(webinar.id, { maxRequestsPerSecond: 3 }),
			inputItems: ids.map((id) => ({ id })),
		});

		expect(run.error?.message).toBeUndefined();
		expect(cancelWrites().map((request) => request.status)).toEqual(Array(6).fill(204));
		expect(sandbox.virtualEvents.stats.throttledWrites).toBe(0);
	});

	test('twice that rate is throttled, and still gets every write through', async () => {
		const webinar = sandbox.virtualEvents.createWebinar();
		const ids = await registeredByAnotherWorkflow(webinar.id, 6);
		sandbox.virtualEvents.setWriteLimit({ requests: 3, perMs: 1000 });
		const run = await runOperation(sandbox, {
			kind: DELEGATED,
			parameters: cancelEach(webinar.id, { maxRequestsPerSecond: 6 }),
			inputItems: ids.map((id) => ({ id })),
		});

		expect(run.error?.message).toBeUndefined();
		expect(sandbox.virtualEvents.stats.throttledWrites).toBeGreaterThan(0);
		expect(cancelWrites().filter((request) => request.status === 204)).toHaveLength(6);
	});
});
