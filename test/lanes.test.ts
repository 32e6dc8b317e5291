/**
 * Delivery lanes: every execution in the process that uses one credential waits in one
 * queue; throttling costs time, not retries or attendees; the time budget ends waiting with
 * an error that says how long and behind how many. Run on a virtual clock shared by the node
 * and the sandbox, so every time asserted is exact.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { VirtualTime } from './harness/virtualClock';
import { sandboxOnVirtualTime } from './support/sandboxFixture';
import { NODE_NAME, byId, runNode, startGraphSandbox } from './support/enrollWorkflow';
import type { GraphSandbox } from './support/enrollWorkflow';

const MEETING_ID = 'MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZ';

let sandbox: GraphSandbox;
let virtualTime: VirtualTime;

sandboxOnVirtualTime({
	start: startGraphSandbox,
	prepare: (fresh) => fresh.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' }),
	use: (fresh, time) => {
		sandbox = fresh;
		virtualTime = time;
	},
});

type LogEntry = {
	method: string;
	rawPath: string;
	status: number | null;
	time: number;
	fault: string | null;
};

function enroll(requestOptions: Record<string, number | boolean> = {}) {
	return {
		authentication: 'oAuth2',
		resource: 'registrant',
		operation: 'enroll',
		meeting: byId(MEETING_ID),
		registrationMode: 'everyone',
		externalId: '={{ $json.externalId }}',
		requestOptions,
	};
}

const person = (i: number) => ({ externalId: `person-${i}@example.com` });
const creates = () =>
	(sandbox.requests as LogEntry[]).filter(
		(r) => r.method === 'POST' && r.rawPath.endsWith('/registrants'),
	);
const linksOf = (externalId: string) =>
	sandbox
		.registrantsOf(MEETING_ID)
		.filter((r: { id: string }) => r.id === externalId)
		.map((r: { joinWebUrl: string }) => r.joinWebUrl);

describe('executions share one lane per credential', () => {
	test('100 form submissions at once against a cap of 2 requests per second: each enrolled exactly once with its own link, drained near the cap', async () => {
		sandbox.setRateLimit({ perSecond: 2, burst: 2 });
		const started = virtualTime.clock.now();
		const runs = await Promise.all(
			Array.from({ length: 100 }, (_, i) =>
				runNode(sandbox, { parameters: enroll(), inputItems: [person(i)], sharedLanes: true }),
			),
		);
		const drainedMs = virtualTime.clock.now() - started;

		runs.forEach((run, i) => {
			expect(run.status).toBe('success');
			const [item] = run.outputOf(NODE_NAME);
			expect(item.pairedItem).toEqual({ item: 0 });
			expect(linksOf(person(i).externalId)).toEqual([item.json.joinWebUrl]);
		});
		expect(sandbox.registrantsOf(MEETING_ID)).toHaveLength(100);
		// N / cap is 50 s; the lane learns the cap from Graph's 429s and stays under it.
		expect(drainedMs).toBeLessThanOrEqual(1.3 * 50_000);
		expect(sandbox.stats.throttled).toBeLessThanOrEqual(20);
	});

	test("two n8n processes (queue-mode workers: a lane each) sharing Graph's 2 requests per second: 100 submissions each enrolled once, drained within 1.5 × N/cap", async () => {
		sandbox.setRateLimit({ perSecond: 2, burst: 2 });
		const started = virtualTime.clock.now();
		// Two credentials stand for two processes: each gets lanes of its own, as a worker does.
		const runs = await Promise.all(
			Array.from({ length: 100 }, (_, i) =>
				runNode(sandbox, {
					parameters: enroll(),
					inputItems: [person(i)],
					sharedLanes: true,
					delegatedCredentialId: i % 2 === 0 ? 'worker-1' : 'worker-2',
				}),
			),
		);
		const drainedMs = virtualTime.clock.now() - started;

		runs.forEach((run, i) => {
			expect(run.status).toBe('success');
			expect(linksOf(person(i).externalId)).toEqual([run.outputOf(NODE_NAME)[0].json.joinWebUrl]);
		});
		expect(drainedMs).toBeLessThanOrEqual(1.5 * 50_000);
	});

	test('two executions at once take turns in one queue at the rate one of them set', async () => {
		const [first, second] = await Promise.all([
			runNode(sandbox, {
				parameters: enroll({ maxRequestsPerSecond: 4 }),
				inputItems: [person(0), person(1), person(2)],
				sharedLanes: true,
			}),
			runNode(sandbox, {
				parameters: enroll({ maxRequestsPerSecond: 4 }),
				inputItems: [person(3), person(4), person(5)],
				sharedLanes: true,
			}),
		]);

		expect([first.status, second.status]).toEqual(['success', 'success']);
		const times = creates().map((r) => r.time);
		expect(times.slice(1).map((time, i) => time - times[i])).toEqual([250, 250, 250, 250, 250]);
	});
});

describe('throttling costs time, not retries', () => {
	test('eight 429s with Retry-After in a row, with "Max Retries" 1: the create waits each one out and goes through once', async () => {
		sandbox.injectFault({
			method: 'POST',
			pathIncludes: '/registrants',
			kind: 'status',
			status: 429,
			retryAfter: 1,
			times: 8,
		});
		const run = await runNode(sandbox, {
			parameters: enroll({ maxRetries: 1 }),
			inputItems: [person(0)],
		});

		expect(run.status).toBe('success');
		const sent = creates();
		expect(sent.map((r) => r.status)).toEqual([...Array(8).fill(429), 200]);
		// Each resend waits out the Retry-After (and the rate the lane slowed to).
		for (const [i, r] of sent.slice(1).entries())
			expect(r.time - sent[i].time).toBeGreaterThanOrEqual(1000);
		expect(run.outputOf(NODE_NAME)[0].json.joinWebUrl).toBe(linksOf(person(0).externalId)[0]);
	});

	test('a Retry-After past the time budget ends the item at once, saying so', async () => {
		sandbox.injectFault({
			method: 'POST',
			pathIncludes: '/registrants',
			kind: 'status',
			status: 429,
			retryAfter: 3600,
		});
		const started = virtualTime.clock.now();
		const run = await runNode(sandbox, {
			parameters: enroll({ timeBudgetMinutes: 0.5 }),
			inputItems: [person(0)],
		});

		expect(virtualTime.clock.now() - started).toBe(0);
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/^Too many requests/);
		expect(run.error?.description).toMatch(
			/^Microsoft Graph asked to wait 3600 s \(Retry-After\), past this request's time budget/,
		);
		expect(creates()).toHaveLength(1);
		expect(sandbox.registrantsOf(MEETING_ID)).toEqual([]);
	});

	test('a 429 without Retry-After backs off that request alone; the others keep their pace', async () => {
		sandbox.injectFault({
			method: 'POST',
			pathIncludes: '/registrants',
			kind: 'status',
			status: 429,
		});
		const run = await runNode(sandbox, {
			parameters: enroll({ maxRequestsPerSecond: 20 }),
			inputItems: [0, 1, 2, 3, 4].map(person),
		});

		expect(run.status).toBe('success');
		const [throttled, ...rest] = creates();
		expect(throttled.status).toBe(429);
		const resend = rest.find((r) => r.time - throttled.time >= 1000)!;
		expect(resend.time - throttled.time).toBeLessThanOrEqual(2000);
		expect(rest.filter((r) => r !== resend).map((r) => r.time - throttled.time)).toEqual([
			50, 100, 150, 200,
		]);
		expect(sandbox.registrantsOf(MEETING_ID)).toHaveLength(5);
	});
});

describe('the time budget bounds waiting in the queue', () => {
	test('items whose turn would come after their budget end as errors that say how long they waited and behind how many', async () => {
		const run = await runNode(sandbox, {
			parameters: enroll({ maxRequestsPerSecond: 1, timeBudgetMinutes: 0.1 }),
			inputItems: Array.from({ length: 10 }, (_, i) => person(i)),
			settings: { onError: 'continueRegularOutput' },
		});

		expect(run.status).toBe('success');
		const output = run.outputOf(NODE_NAME);
		// One a second from 0 s: the turns at 0-5 s come within the 6 s budget.
		expect(creates().map((r) => r.time - creates()[0].time)).toEqual([
			0, 1000, 2000, 3000, 4000, 5000,
		]);
		output
			.slice(0, 6)
			.forEach((item, i) => expect(item.json.joinWebUrl).toBe(linksOf(person(i).externalId)[0]));
		output.slice(6).forEach((item, i) => {
			expect(item.json.error).toBe(
				'The request was not sent: it waited 6 s for its turn to reach Microsoft Graph, and its turn did not come within its time budget',
			);
			expect(item.json.description).toBe(
				`${6 + i} request(s) were ahead of it when it joined the queue that every execution using this credential shares. Raise "Time Budget" in Request Options (now 0.1 min), or send fewer at once.`,
			);
			expect(item.pairedItem).toEqual({ item: 6 + i });
		});
		expect(sandbox.registrantsOf(MEETING_ID)).toHaveLength(6);
	});
});

describe('the token and the attendees stay with Graph', () => {
	test('a redirect to another host is not followed: the other host receives nothing and the error names it', async () => {
		const elsewhere: string[] = [];
		const other = http.createServer((req, res) => {
			elsewhere.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
			res.end('{}');
		});
		await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
		const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
		try {
			sandbox.injectFault({
				method: 'POST',
				pathIncludes: '/registrants',
				kind: 'redirect',
				status: 307,
				location: `${otherUrl}/collect`,
			});
			const run = await runNode(sandbox, { parameters: enroll(), inputItems: [person(0)] });

			expect(run.status).toBe('error');
			expect(run.error?.message).toBe(
				`Microsoft Graph's answer was a redirect (HTTP 307) to ${otherUrl}; the node follows no redirects`,
			);
			expect(run.error?.description).toBe(
				`Nothing was sent there: the credential's token and the request stay with ${sandbox.url}. Check the credential's "Microsoft Cloud" (and "Custom Graph URL"), or the proxy in front of Graph.`,
			);
			expect(elsewhere).toEqual([]);
			expect(creates().map((r) => [r.status, r.fault])).toEqual([[307, 'redirect']]);
			expect(sandbox.registrantsOf(MEETING_ID)).toEqual([]);
		} finally {
			await new Promise((resolve) => other.close(resolve));
		}
	});

	test('a redirect to an address that is no URL: the same error, naming no address', async () => {
		sandbox.injectFault({
			method: 'POST',
			pathIncludes: '/registrants',
			kind: 'redirect',
			status: 302,
			location: 'http://[not-a-host',
		});
		const run = await runNode(sandbox, { parameters: enroll(), inputItems: [person(0)] });

		expect(run.error?.message).toBe(
			"Microsoft Graph's answer was a redirect (HTTP 302) to an invalid URL; the node follows no redirects",
		);
		expect(creates().map((r) => [r.status, r.fault])).toEqual([[302, 'redirect']]);
		expect(sandbox.registrantsOf(MEETING_ID)).toEqual([]);
	});
});
