/**
 * Exactly once under faults: answers lost after Graph committed, outages, two runs of the same
 * list. Each case ends with the sandbox's registrants checked: nobody lost, nobody enrolled
 * twice, no registration removed that the user did not ask to remove, and every success item
 * carrying the link of a registration that exists. On a virtual clock shared by the node and
 * the sandbox.
 */
import type { VirtualTime } from './harness/virtualClock';
import { sandboxOnVirtualTime } from './support/sandboxFixture';
import { NODE_NAME, byId, runNode, startGraphSandbox } from './support/enrollWorkflow';
import type { GraphSandbox } from './support/enrollWorkflow';
import { enrollBeforehand } from './support/lifecycleWorkflow';

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
	rawQuery: string;
	status: number | null;
	time: number;
	fault: string | null;
};
type Item = { json: Record<string, unknown>; pairedItem?: unknown };

function enroll(ifAlreadyEnrolled: string, requestOptions: Record<string, number> = {}) {
	return {
		authentication: 'oAuth2',
		resource: 'registrant',
		operation: 'enroll',
		meeting: byId(MEETING_ID),
		registrationMode: 'everyone',
		externalId: '={{ $json.externalId }}',
		options: { ifAlreadyEnrolled },
		requestOptions,
	};
}

const person = (i: number) => ({ externalId: `person-${i}@example.com` });
const log = () => sandbox.requests as LogEntry[];
const linksOf = (externalId: string): string[] =>
	sandbox
		.registrantsOf(MEETING_ID)
		.filter((r: { id: string }) => r.id === externalId)
		.map((r: { joinWebUrl: string }) => r.joinWebUrl);
const commitThen504 = (times: number) =>
	sandbox.injectFault({
		method: 'POST',
		pathIncludes: '/registrants',
		kind: 'commitThenStatus',
		status: 504,
		times,
	});

/** Every item either failed, or carries the link of the one registration its person has. */
function expectEveryLinkWorks(items: Item[], inputs: Array<{ externalId: string }>) {
	items.forEach((item, i) => {
		if (item.json.error !== undefined) return;
		expect(linksOf(inputs[i].externalId)).toEqual([item.json.joinWebUrl]);
	});
}

describe('never remove what the node did not make', () => {
	test('enrolled before the run, enrolled again ("Enroll Again") while Graph commits and answers 504: the earlier registration stays', async () => {
		await enrollBeforehand(sandbox, MEETING_ID, ['person-0@example.com']);
		commitThen504(1);
		const run = await runNode(sandbox, {
			parameters: enroll('enrollAgain'),
			inputItems: [person(0)],
			settings: { onError: 'continueRegularOutput' },
		});

		expect(log().filter((r) => r.method === 'DELETE')).toEqual([]);
		// the earlier registration and the one Graph made before its answer was lost
		expect(sandbox.registrantCount(MEETING_ID, 'person-0@example.com')).toBe(2);
		const [item] = run.outputOf(NODE_NAME);
		expect(item.json.error).toBe('The gateway timed out. [GatewayTimeout]');
		expect(item.json.description).toMatch(
			/^Microsoft Graph lists 2 registration\(s\) for "person-0@example.com", but the answer with the new join link was lost/,
		);
	});

	test('"Skip" with the same people twice in one run and 5 % of creates committed then answered 504: one registration each, every link works', async () => {
		const inputs = Array.from({ length: 100 }, (_, i) => person(i % 50));
		commitThen504(5);
		const run = await runNode(sandbox, { parameters: enroll('skip'), inputItems: inputs });

		expect(run.status).toBe('success');
		const items = run.outputOf(NODE_NAME);
		expectEveryLinkWorks(items, inputs);
		for (let i = 0; i < 50; i++)
			expect(sandbox.registrantCount(MEETING_ID, person(i).externalId)).toBe(1);
		// each person's second row: enrolled by this process a moment ago, link known
		items
			.slice(50)
			.forEach((item) =>
				expect(item.json).toMatchObject({ alreadyEnrolled: true, status: 'alreadyEnrolled' }),
			);
	});

	test('two executions of the same 60 people at once ("Skip"), with creates committed then answered 504: one registration each, every link works', async () => {
		const inputs = Array.from({ length: 60 }, (_, i) => person(i));
		commitThen504(3);
		const runs = await Promise.all(
			[0, 1].map(() =>
				runNode(sandbox, { parameters: enroll('skip'), inputItems: inputs, sharedLanes: true }),
			),
		);

		for (const run of runs) {
			expect(run.status).toBe('success');
			expectEveryLinkWorks(run.outputOf(NODE_NAME), inputs);
		}
		for (const input of inputs)
			expect(sandbox.registrantCount(MEETING_ID, input.externalId)).toBe(1);
		// each person enrolled by exactly one of the two, and found enrolled by the other
		inputs.forEach((_, i) => {
			expect(runs.map((run) => run.outputOf(NODE_NAME)[i].json.status).sort()).toEqual([
				'alreadyEnrolled',
				'enrolled',
			]);
		});
	});
});

describe('a listing that a removal ran through', () => {
	test('Graph pages by position: a registration removed while the node lists makes another slip between pages; the node lists again instead of enrolling twice', async () => {
		await enrollBeforehand(sandbox, MEETING_ID, ['earlier@example.com']);
		sandbox.setPageSize(1);
		// Person 0's create commits, then its answer is lost; the listing that finds out reads
		// page 1 at once and page 2 only after 5 s, and another execution removes the earlier
		// registration in between, so page 2 (by position) comes back empty. Read once, that
		// listing would say person 0 is not enrolled, and the node would enroll them twice.
		commitThen504(1);
		sandbox.injectFault({
			method: 'GET',
			pathIncludes: '/registrants',
			kind: 'delay',
			ms: 0,
			times: 2,
		});
		sandbox.injectFault({ method: 'GET', pathIncludes: '/registrants', kind: 'delay', ms: 5000 });
		const enrolling = runNode(sandbox, {
			parameters: enroll('skip'),
			inputItems: [person(0)],
			sharedLanes: true,
		});
		await virtualTime.run(virtualTime.clock.sleep(3000));
		const removing = runNode(sandbox, {
			parameters: {
				authentication: 'oAuth2',
				resource: 'registrant',
				operation: 'remove',
				meeting: byId(MEETING_ID),
				registrant: { __rl: true, mode: 'id', value: 'earlier@example.com' },
			},
			sharedLanes: true,
		});
		const [run, removal] = await Promise.all([enrolling, removing]);

		expect(removal.status).toBe('success');
		expect(run.status).toBe('success');
		expectEveryLinkWorks(run.outputOf(NODE_NAME), [person(0)]);
		expect(sandbox.registrantCount(MEETING_ID, 'person-0@example.com')).toBe(1);
		expect(sandbox.registrantCount(MEETING_ID, 'earlier@example.com')).toBe(0);
	});
});

describe('faults cost time, not attendees', () => {
	test('61 answers of 503 in a row (a few seconds of outage) across 200 people: everyone enrolled once', async () => {
		sandbox.injectFault({
			method: 'POST',
			pathIncludes: '/registrants',
			kind: 'status',
			status: 503,
			times: 61,
		});
		const inputs = Array.from({ length: 200 }, (_, i) => person(i));
		const run = await runNode(sandbox, { parameters: enroll('skip'), inputItems: inputs });

		expect(run.status).toBe('success');
		expectEveryLinkWorks(run.outputOf(NODE_NAME), inputs);
		expect(sandbox.registrantsOf(MEETING_ID)).toHaveLength(200);
		expect(sandbox.stats.faultsInjected).toBe(61);
	});

	test('reconciling is proportional: one listing serves many lost answers of the same meeting', async () => {
		commitThen504(20);
		const inputs = Array.from({ length: 300 }, (_, i) => person(i));
		const run = await runNode(sandbox, { parameters: enroll('skip'), inputItems: inputs });

		expect(run.status).toBe('success');
		expectEveryLinkWorks(run.outputOf(NODE_NAME), inputs);
		const listings = log().filter((r) => r.method === 'GET' && r.rawQuery === '');
		// the first listing before any create, then fewer listings than lost answers
		expect(listings.length).toBeLessThan(1 + 20);
	});

	test('an answer without a registrant (an empty 200) is no success: the node finds Graph made nothing and sends again', async () => {
		sandbox.injectFault({ method: 'POST', pathIncludes: '/registrants', kind: 'emptyOk' });
		const run = await runNode(sandbox, {
			parameters: enroll('enrollAgain'),
			inputItems: [person(0)],
		});

		expect(run.status).toBe('success');
		expect(log().map((r) => `${r.method} ${r.status} ${r.fault}`)).toEqual([
			'POST 200 emptyOk',
			'GET 200 null',
			'POST 200 null',
		]);
		expectEveryLinkWorks(run.outputOf(NODE_NAME), [person(0)]);
	});

	test('a create Graph commits and never answers: the request times out, the node proves the registration is its own, and the item gets a working link', async () => {
		sandbox.injectFault({
			method: 'POST',
			pathIncludes: '/registrants',
			kind: 'commitThenSilence',
		});
		const run = await runNode(sandbox, {
			parameters: enroll('skip', { requestTimeoutSeconds: 1 }),
			inputItems: [person(0)],
		});

		expect(run.status).toBe('success');
		expect(log().map((r) => `${r.method} ${r.status} ${r.fault}`)).toEqual([
			'GET 200 null',
			'POST null commitThenSilence',
			'GET 200 null',
			'DELETE 204 null',
			'POST 200 null',
		]);
		expectEveryLinkWorks(run.outputOf(NODE_NAME), [person(0)]);
		expect(sandbox.registrantCount(MEETING_ID, 'person-0@example.com')).toBe(1);
	});
});

describe('a fresh link for someone whose link is lost', () => {
	test('"Replace (Fresh Link)": the existing registrations are removed (the user asked), the person is enrolled again, and the new link works', async () => {
		await enrollBeforehand(sandbox, MEETING_ID, ['person-0@example.com']);
		const [oldLink] = linksOf('person-0@example.com');
		const run = await runNode(sandbox, { parameters: enroll('replace'), inputItems: [person(0)] });

		expect(run.status).toBe('success');
		const [item] = run.outputOf(NODE_NAME);
		expect(item.json).toMatchObject({
			id: 'person-0@example.com',
			status: 'enrolled',
			replaced: 1,
		});
		expect(linksOf('person-0@example.com')).toEqual([item.json.joinWebUrl]);
		expect(item.json.joinWebUrl).not.toBe(oldLink);
	});
});

describe('an outcome the node could not learn', () => {
	test('"Skip" with the same person twice, the first create committed then answered 504 and the listing that would tell answered 500: the second row lists again and finds the person', async () => {
		commitThen504(1);
		// the run's first listing passes; the one after the lost answer fails
		sandbox.injectFault({ method: 'GET', pathIncludes: '/registrants', kind: 'delay', ms: 0 });
		sandbox.injectFault({
			method: 'GET',
			pathIncludes: '/registrants',
			kind: 'status',
			status: 500,
		});
		const run = await runNode(sandbox, {
			parameters: enroll('skip'),
			inputItems: [person(0), person(0)],
			settings: { onError: 'continueRegularOutput' },
		});

		expect(log().map((r) => `${r.method} ${r.status} ${r.fault}`)).toEqual([
			'GET 200 delay',
			'POST 504 commitThenStatus',
			'GET 500 status',
			'GET 200 null',
		]);
		expect(sandbox.registrantCount(MEETING_ID, 'person-0@example.com')).toBe(1);
		const [first, second] = run.outputOf(NODE_NAME);
		expect(first.json.description).toMatch(
			/^The attendee's enrollment is unknown: the answer to it was lost, and listing the meeting's registrants to find out failed\./,
		);
		expect(second).toMatchObject({
			json: { id: 'person-0@example.com', alreadyEnrolled: true, status: 'alreadyEnrolled' },
			pairedItem: { item: 1 },
		});
	});
});

describe('removing by registrant ID when an answer goes missing', () => {
	const removeById = (ifNotEnrolled: string) => ({
		authentication: 'oAuth2',
		resource: 'registrant',
		operation: 'remove',
		meeting: byId(MEETING_ID),
		registrant: { __rl: true, mode: 'id', value: '={{ $json.externalId }}' },
		options: { ifNotEnrolled },
	});
	/** Removes person 0 by registrant ID, Graph's answer to the first DELETE being `fault`. */
	const removeAfter = async (fault: { kind: string; status: number }, ifNotEnrolled: string) => {
		sandbox.injectFault({ method: 'DELETE', pathIncludes: '/registrants/', ...fault });
		return await runNode(sandbox, {
			parameters: removeById(ifNotEnrolled),
			inputItems: [person(0)],
		});
	};

	test('a throttled DELETE (Graph did nothing) and then 404: the person was not enrolled, nothing reports a removal', async () => {
		const run = await removeAfter({ kind: 'status', status: 429 }, 'succeed');

		// the 404 counts as "not enrolled" once reading the meeting shows it exists
		expect(log().map((r) => `${r.method} ${r.status}`)).toEqual([
			'DELETE 429',
			'DELETE 404',
			'GET 200',
		]);
		expect(run.outputOf(NODE_NAME)).toEqual([
			{
				json: { meetingId: MEETING_ID, id: 'person-0@example.com', removed: false },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('a DELETE committed then answered 504, and 404 when sent again: the first one removed the person', async () => {
		await enrollBeforehand(sandbox, MEETING_ID, ['person-0@example.com']);
		const run = await removeAfter({ kind: 'commitThenStatus', status: 504 }, 'error');

		expect(log().map((r) => `${r.method} ${r.status}`)).toEqual(['DELETE 504', 'DELETE 404']);
		expect(sandbox.registrantCount(MEETING_ID, 'person-0@example.com')).toBe(0);
		expect(run.outputOf(NODE_NAME)[0].json).toMatchObject({
			id: 'person-0@example.com',
			removed: true,
		});
	});
});
