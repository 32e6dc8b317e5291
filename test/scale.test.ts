import { NODE_NAME, byId, runNode, startGraphSandbox } from './support/enrollWorkflow';
import type { GraphSandbox } from './support/enrollWorkflow';
import { BATCH_LINGER_MS } from '../nodes/MicrosoftTeamsRegistration/transport/batcher';
import { sandboxOnVirtualTime } from './support/sandboxFixture';

const MEETING_ID = 'MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZ';

let sandbox: GraphSandbox;

sandboxOnVirtualTime({
	start: startGraphSandbox,
	prepare: (fresh) => fresh.createMeeting({ id: MEETING_ID, allowedRegistrant: 'everyone' }),
	use: (fresh) => {
		sandbox = fresh;
	},
});

type LogEntry = {
	method: string;
	rawPath: string;
	status: number | null;
	time: number;
	json?: { id?: string };
	fault: string | null;
};

function enroll(
	requestOptions: Record<string, number | boolean> = {},
	ifAlreadyEnrolled = 'enrollAgain',
) {
	return {
		authentication: 'oAuth2',
		resource: 'registrant',
		operation: 'enroll',
		meeting: byId(MEETING_ID),
		registrationMode: 'everyone',
		externalId: '={{ $json.externalId }}',
		requestOptions,
		options: { ifAlreadyEnrolled },
	};
}

const attendees = (n: number) =>
	Array.from({ length: n }, (_, i) => ({ externalId: `attendee-${i}@example.com` }));
const log = (): LogEntry[] => sandbox.requests;
const creates = () =>
	log().filter((r) => r.method === 'POST' && r.rawPath.endsWith('/registrants'));
const joinLinksOf = (externalId: string) =>
	sandbox
		.registrantsOf(MEETING_ID)
		.filter((r: { id: string }) => r.id === externalId)
		.map((r: { joinWebUrl: string }) => r.joinWebUrl);

describe('throttling', () => {
	test('a 429 with Retry-After: the create is sent again no sooner than Graph asked, once', async () => {
		sandbox.injectFault({
			method: 'POST',
			pathIncludes: '/registrants',
			kind: 'status',
			status: 429,
			retryAfter: 1,
		});
		const run = await runNode(sandbox, { parameters: enroll(), inputItems: attendees(1) });

		expect(run.status).toBe('success');
		const [throttled, accepted] = creates();
		expect([throttled.status, accepted.status]).toEqual([429, 200]);
		expect(accepted.time - throttled.time).toBe(1000);
		expect(sandbox.registrantCount(MEETING_ID, 'attendee-0@example.com')).toBe(1);
		expect(run.outputOf(NODE_NAME)[0].json.joinWebUrl).toBe(
			joinLinksOf('attendee-0@example.com')[0],
		);
	});

	test('a 429 without Retry-After: backed off, then sent again', async () => {
		sandbox.injectFault({
			method: 'POST',
			pathIncludes: '/registrants',
			kind: 'status',
			status: 429,
			times: 2,
		});
		const run = await runNode(sandbox, { parameters: enroll(), inputItems: attendees(1) });

		expect(run.status).toBe('success');
		const times = creates().map((r) => r.time);
		expect(creates().map((r) => r.status)).toEqual([429, 429, 200]);
		// backoff: 1-2 s after the first, 2-4 s after the second
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(1000);
		expect(times[1] - times[0]).toBeLessThanOrEqual(2000);
		expect(times[2] - times[1]).toBeGreaterThanOrEqual(2000);
		expect(times[2] - times[1]).toBeLessThanOrEqual(4000);
	});

	test('one throttle holds every request of the run for the Retry-After', async () => {
		sandbox.injectFault({
			method: 'POST',
			pathIncludes: '/registrants',
			kind: 'status',
			status: 429,
			retryAfter: 1,
		});
		const run = await runNode(sandbox, {
			parameters: enroll({ maxRequestsPerSecond: 20 }),
			inputItems: attendees(4),
		});

		expect(run.status).toBe('success');
		const [throttled, ...rest] = creates();
		expect(throttled.status).toBe(429);
		const later = rest.filter((r) => r.time > throttled.time);
		expect(later.length).toBeGreaterThan(0);
		for (const request of later) expect(request.time - throttled.time).toBeGreaterThanOrEqual(1000);
		expect(sandbox.registrantsOf(MEETING_ID)).toHaveLength(4);
	});

	test('a configured rate is never exceeded', async () => {
		const run = await runNode(sandbox, {
			parameters: enroll({ maxRequestsPerSecond: 20, maxConcurrency: 32 }),
			inputItems: attendees(50),
		});

		expect(run.status).toBe('success');
		const times = creates()
			.map((r) => r.time)
			.sort((a, b) => a - b);
		expect(times).toHaveLength(50);
		let busiestSecond = 0;
		for (let start = 0; start < times.length; start++) {
			let end = start;
			while (end < times.length && times[end] < times[start] + 1000) end++;
			busiestSecond = Math.max(busiestSecond, end - start);
		}
		// Sends are spaced exactly 50 ms apart.
		expect(busiestSecond).toBe(20);
		expect(times.slice(1).map((time, i) => time - times[i])).toEqual(Array(49).fill(50));
	});

	test('adaptive pacing slows to what Graph accepts instead of storming it', async () => {
		sandbox.setRateLimit({ perSecond: 40, burst: 10 });
		const run = await runNode(sandbox, { parameters: enroll(), inputItems: attendees(150) });

		expect(run.status).toBe('success');
		expect(sandbox.registrantsOf(MEETING_ID)).toHaveLength(150);
		// All-at-once would draw well over a hundred 429s here.
		expect(sandbox.stats.throttled).toBeLessThan(15);
	});
});

describe('writes whose outcome is unknown are reconciled, never repeated blindly', () => {
	test('"Skip": connection dropped after Graph created the registrant: the node proves it made it, replaces it, and the item gets a working link', async () => {
		sandbox.injectFault({ method: 'POST', pathIncludes: '/registrants', kind: 'dropAfterCommit' });
		const run = await runNode(sandbox, {
			parameters: enroll({}, 'skip'),
			inputItems: attendees(1),
		});

		expect(run.status).toBe('success');
		expect(
			log().map((r) => `${r.method} ${r.rawPath.split('/registration')[1]} ${r.status}`),
		).toEqual([
			'GET /registrants 200',
			'POST /registrants null',
			'GET /registrants 200',
			`DELETE /registrants/${encodeURIComponent('attendee-0@example.com')} 204`,
			'POST /registrants 200',
		]);
		expect(sandbox.registrantCount(MEETING_ID, 'attendee-0@example.com')).toBe(1);
		const [link] = joinLinksOf('attendee-0@example.com');
		expect(run.outputOf(NODE_NAME)[0]).toMatchObject({
			json: { id: 'attendee-0@example.com', joinWebUrl: link, status: 'enrolled' },
			pairedItem: { item: 0 },
		});
	});

	test('"Enroll Again": the same lost answer, with nothing to tell this registration from an earlier one: nothing removed, and the item says what happened', async () => {
		sandbox.injectFault({ method: 'POST', pathIncludes: '/registrants', kind: 'dropAfterCommit' });
		const run = await runNode(sandbox, { parameters: enroll(), inputItems: attendees(1) });

		expect(run.status).toBe('error');
		expect(log().map((r) => `${r.method} ${r.status}`)).toEqual(['POST null', 'GET 200']);
		expect(run.error?.description).toMatch(
			/^Microsoft Graph lists 1 registration\(s\) for "attendee-0@example.com", but the answer with the new join link was lost, and the node cannot tell a registration it just made from an earlier one, so it removed nothing\. To issue this person a fresh link, run the item again with Options → "If Already Enrolled" → "Replace \(Fresh Link\)"\./,
		);
		expect(sandbox.registrantCount(MEETING_ID, 'attendee-0@example.com')).toBe(1);
	});

	test('connection dropped before Graph did anything: the listing shows nothing, the create is sent again', async () => {
		sandbox.injectFault({ method: 'POST', pathIncludes: '/registrants', kind: 'dropBeforeCommit' });
		const run = await runNode(sandbox, { parameters: enroll(), inputItems: attendees(1) });

		expect(run.status).toBe('success');
		expect(log().map((r) => `${r.method} ${r.status}`)).toEqual([
			'POST null',
			'GET 200',
			'POST 200',
		]);
		expect(sandbox.registrantCount(MEETING_ID, 'attendee-0@example.com')).toBe(1);
	});

	test('a 504 on a create is reconciled the same way, after a backoff', async () => {
		sandbox.injectFault({
			method: 'POST',
			pathIncludes: '/registrants',
			kind: 'status',
			status: 504,
		});
		const run = await runNode(sandbox, { parameters: enroll(), inputItems: attendees(1) });
		expect(run.status).toBe('success');
		expect(log().map((r) => `${r.method} ${r.status}`)).toEqual([
			'POST 504',
			'GET 200',
			'POST 200',
		]);
		const [failed, listing] = log();
		expect(listing.time - failed.time).toBeGreaterThanOrEqual(1000);
		expect(listing.time - failed.time).toBeLessThanOrEqual(2000);
		expect(sandbox.registrantCount(MEETING_ID, 'attendee-0@example.com')).toBe(1);
	});
});

describe('500 items through a fault mix: every item accounted for, nobody lost or enrolled twice', () => {
	// Each throttle holds the whole run for its Retry-After, so these take seconds.
	jest.setTimeout(90_000);

	function injectFaultMix() {
		sandbox.setRateLimit({ perSecond: 400, burst: 40 });
		const post = { method: 'POST', pathIncludes: '/registrants' };
		sandbox.injectFault({ ...post, kind: 'status', status: 503, retryAfter: 1, times: 4 });
		sandbox.injectFault({ ...post, kind: 'dropAfterCommit', times: 5 });
		sandbox.injectFault({ ...post, kind: 'status', status: 429, times: 4 });
		sandbox.injectFault({ ...post, kind: 'status', status: 504, times: 5 });
		sandbox.injectFault({ ...post, kind: 'dropBeforeCommit', times: 5 });
		sandbox.injectFault({
			method: 'GET',
			pathIncludes: '/registrants',
			kind: 'status',
			status: 503,
			times: 2,
		});
	}

	test('continue-on-fail off: the run succeeds and every attendee is enrolled exactly once', async () => {
		injectFaultMix();
		const inputItems = attendees(500);
		const run = await runNode(sandbox, { parameters: enroll({}, 'skip'), inputItems });

		expect(run.status).toBe('success');
		const output = run.outputOf(NODE_NAME);
		expect(output).toHaveLength(500);
		output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.id).toBe(inputItems[i].externalId);
			expect(joinLinksOf(inputItems[i].externalId)).toEqual([item.json.joinWebUrl]);
		});
		expect(sandbox.registrantsOf(MEETING_ID)).toHaveLength(500);
		expect(sandbox.stats.faultsInjected).toBe(25);
	});

	test('continue-on-fail on: failures come out as errors paired to their items, the rest enrolled exactly once', async () => {
		injectFaultMix();
		// Final failures for three attendees: Graph refuses them outright.
		sandbox.injectFault({
			method: 'POST',
			pathIncludes: '/registrants',
			kind: 'status',
			status: 400,
			code: 'BadRequest',
			message: 'Refused.',
			times: 3,
		});
		const inputItems = attendees(500);
		inputItems[7] = { externalId: '' };
		const run = await runNode(sandbox, {
			parameters: enroll({}, 'skip'),
			inputItems,
			settings: { onError: 'continueRegularOutput' },
		});

		expect(run.status).toBe('success');
		const output = run.outputOf(NODE_NAME);
		expect(output).toHaveLength(500);
		const failed = output.filter((item) => item.json.error !== undefined);
		expect(failed.map((item) => item.json.error).sort()).toEqual([
			'Item 7: "External ID" is empty',
			'Refused. [BadRequest]',
			'Refused. [BadRequest]',
			'Refused. [BadRequest]',
		]);
		output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			const expected = item.json.error === undefined ? [item.json.joinWebUrl] : [];
			expect(joinLinksOf(inputItems[i].externalId)).toEqual(expected);
		});
		expect(sandbox.registrantsOf(MEETING_ID)).toHaveLength(496);
	});
});

describe('JSON batching ($batch)', () => {
	type BatchLog = LogEntry & {
		json: {
			requests: Array<{
				id: string;
				method: string;
				url: string;
				headers?: Record<string, string>;
				body?: unknown;
			}>;
		};
		responseBody: {
			responses: Array<{ id: string; status: number; headers: Record<string, string> }>;
		};
	};
	const batches = () => log().filter((r) => r.rawPath === '/beta/$batch') as BatchLog[];

	test('items go in batches of at most 20, each entry exactly the request it stands for', async () => {
		const run = await runNode(sandbox, {
			parameters: enroll({ batching: true, maxRequestsPerSecond: 1000 }),
			inputItems: attendees(45),
		});

		expect(run.status).toBe('success');
		expect(log().every((r) => r.method === 'POST' && r.rawPath === '/beta/$batch')).toBe(true);
		const entries = batches().flatMap((batch) => batch.json.requests);
		expect(batches().every((batch) => batch.json.requests.length <= 20)).toBe(true);
		expect(batches().length).toBeLessThanOrEqual(10);
		expect(entries).toHaveLength(45);
		const ids = entries.map((entry) => (entry.body as { id: string }).id).sort();
		expect(ids).toEqual(
			attendees(45)
				.map((a) => a.externalId)
				.sort(),
		);
		for (const entry of entries) {
			expect(entry).toEqual({
				id: entry.id,
				method: 'POST',
				url: `/me/onlineMeetings/${MEETING_ID}/registration/registrants`,
				headers: { 'Content-Type': 'application/json' },
				body: {
					'@odata.type': '#microsoft.graph.externalMeetingRegistrant',
					id: (entry.body as { id: string }).id,
				},
			});
		}
		const output = run.outputOf(NODE_NAME);
		output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(joinLinksOf(attendees(45)[i].externalId)).toEqual([item.json.joinWebUrl]);
		});
	});

	test('a throttled entry inside a batch waits its own Retry-After and is sent again; the rest are not repeated', async () => {
		sandbox.injectFault({
			method: 'POST',
			pathIncludes: '/registrants',
			kind: 'status',
			status: 429,
			retryAfter: 1,
		});
		const run = await runNode(sandbox, {
			parameters: enroll({ batching: true, maxRequestsPerSecond: 1000 }),
			inputItems: attendees(10),
		});

		expect(run.status).toBe('success');
		const sent = batches().flatMap((batch) =>
			batch.json.requests.map((entry) => ({
				externalId: (entry.body as { id: string }).id,
				time: batch.time,
				answer: batch.responseBody.responses.find((answer) => answer.id === entry.id)!,
			})),
		);
		const throttled = sent.filter(({ answer }) => answer.status === 429);
		expect(throttled).toHaveLength(1);
		expect(throttled[0].answer.headers['Retry-After']).toBe('1');
		const sendsOf = (externalId: string) => sent.filter((entry) => entry.externalId === externalId);
		for (const attendee of attendees(10)) {
			expect(sendsOf(attendee.externalId)).toHaveLength(
				attendee.externalId === throttled[0].externalId ? 2 : 1,
			);
		}
		const [, resend] = sendsOf(throttled[0].externalId);
		expect(resend.answer.status).toBe(200);
		// Graph's Retry-After, then the batch's gathering window.
		expect(resend.time - throttled[0].time).toBe(1000 + BATCH_LINGER_MS);
		for (const attendee of attendees(10))
			expect(sandbox.registrantCount(MEETING_ID, attendee.externalId)).toBe(1);
	});

	test('"Skip": a batch whose answer is lost: its creates are reconciled, nobody enrolled twice', async () => {
		sandbox.injectFault({ method: 'POST', pathIncludes: '$batch', kind: 'dropAfterCommit' });
		const run = await runNode(sandbox, {
			parameters: enroll({ batching: true, maxRequestsPerSecond: 1000 }, 'skip'),
			inputItems: attendees(5),
		});

		expect(run.status).toBe('success');
		const output = run.outputOf(NODE_NAME);
		attendees(5).forEach((attendee, i) => {
			expect(joinLinksOf(attendee.externalId)).toEqual([output[i].json.joinWebUrl]);
		});
	});
});
