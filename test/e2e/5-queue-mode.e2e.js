'use strict';
/**
 * n8n's queue mode (n8n 2.x): Redis, PostgreSQL, the main process and two workers
 * (scripts/queue-mode.js, started by `ctx.queueMode()`), with a published workflow Webhook
 * (answers "When Last Node Finishes") → our node enrolling `body.externalId` into the sandbox's
 * demo meeting. The main process receives the POSTs and enqueues one execution per
 * submission; the workers run them, each with up to 20 at once, in two separate processes.
 *
 *  - one submission: answered 200 with the person's own join link, which a worker produced;
 *  - 100 submissions at once against Graph throttling at 2 requests/s (burst 2) with 100 ms
 *    latency: every submission is answered 200 with its own link, the meeting ends with exactly
 *    one registrant per submission (none lost, none twice), and each answer's link is that
 *    registrant's. Drain time, Graph's 429s and the split between the workers are printed.
 */
const assert = require('node:assert/strict');
const http = require('node:http');

const SUBMISSIONS = 100;
/** The node may wait its turn behind 99 others at 2 requests/s: answers can take minutes. */
const REQUEST_TIMEOUT_MS = 12 * 60 * 1000;
/** Includes starting Redis, PostgreSQL and three n8n processes on a loaded machine (the first test). */
const TEST_OPTIONS = { n8n: '2.x', timeoutMs: 20 * 60 * 1000 };

/** POST `body` as JSON; resolves { status, body (parsed when JSON), text, ms }; never rejects (an error becomes status 0). */
function postJson(url, body, timeoutMs = REQUEST_TIMEOUT_MS) {
	const started = Date.now();
	const payload = JSON.stringify(body);
	return new Promise((resolve) => {
		const request = http.request(
			url,
			{
				method: 'POST',
				agent: false,
				timeout: timeoutMs,
				headers: {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(payload),
				},
			},
			(response) => {
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (chunk) => (text += chunk));
				response.on('end', () => {
					let parsed;
					try {
						parsed = JSON.parse(text);
					} catch {
						parsed = undefined;
					}
					resolve({ status: response.statusCode, body: parsed, text, ms: Date.now() - started });
				});
				response.on('error', (error) =>
					resolve({ status: 0, text: String(error), ms: Date.now() - started }),
				);
			},
		);
		request.on('timeout', () =>
			request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)),
		);
		request.on('error', (error) =>
			resolve({ status: 0, text: `request failed: ${error.message}`, ms: Date.now() - started }),
		);
		request.end(payload);
	});
}

/** Executions each worker started since `before` (both from queue.executionsByWorker()). */
function workerSplit(before, after) {
	return Object.fromEntries(
		Object.entries(after).map(([worker, ids]) => [
			worker,
			ids.length - (before[worker] || []).length,
		]),
	);
}

module.exports = (test) => {
	test(
		'queue mode: one webhook submission is run by a worker and answered with its own join link',
		async (ctx) => {
			const queue = await ctx.queueMode();
			const { graph, meetings } = ctx.sandboxes;
			const meeting = meetings.everyone;
			const before = queue.executionsByWorker();

			const answer = await postJson(queue.webhookUrl, { externalId: 'smoke@example.com' });

			assert.equal(
				answer.status,
				200,
				`the webhook answered ${answer.status}: ${answer.text.slice(0, 500)}`,
			);
			const registrants = graph.registrantsOf(meeting.id);
			assert.deepEqual(
				registrants.map((registrant) => registrant.id),
				['smoke@example.com'],
			);
			assert.deepEqual(answer.body, {
				id: 'smoke@example.com',
				joinWebUrl: registrants[0].joinWebUrl,
				userId: null,
				tenantId: null,
				meetingId: meeting.id,
			});
			const split = workerSplit(before, queue.executionsByWorker());
			assert.equal(
				Object.values(split).reduce((sum, count) => sum + count, 0),
				1,
				`one execution, run by a worker (main ${queue.mainLogFile}, workers ${queue.workers.map((worker) => worker.logFile).join(', ')})`,
			);
			console.log(
				`    answered in ${(answer.ms / 1000).toFixed(1)} s by worker ${Object.keys(split).find((worker) => split[worker] === 1)}`,
			);
		},
		TEST_OPTIONS,
	);

	test(
		`queue mode: ${SUBMISSIONS} submissions at once under Graph throttling (2/s) are each enrolled exactly once`,
		async (ctx) => {
			const queue = await ctx.queueMode();
			const { graph, meetings } = ctx.sandboxes;
			const meeting = meetings.everyone;
			const externalIds = Array.from(
				{ length: SUBMISSIONS },
				(_, index) => `queue-${String(index + 1).padStart(3, '0')}@example.com`,
			);
			const before = queue.executionsByWorker();
			const enqueuedBefore = queue.enqueuedCount();
			graph.setRateLimit({ perSecond: 2, burst: 2 });
			graph.setLatency(100);
			let answers;
			let drainMs;
			try {
				const started = Date.now();
				answers = await Promise.all(
					externalIds.map((externalId) => postJson(queue.webhookUrl, { externalId })),
				);
				drainMs = Date.now() - started;
			} finally {
				// reset() keeps the latency: later tests get the sandbox as they expect it
				graph.setLatency(0);
				graph.setRateLimit(null);
			}

			// What happened, before judging it.
			const registrants = graph.registrantsOf(meeting.id);
			const countById = new Map(externalIds.map((externalId) => [externalId, 0]));
			for (const registrant of registrants)
				countById.set(registrant.id, (countById.get(registrant.id) || 0) + 1);
			const lost = externalIds.filter((externalId) => countById.get(externalId) === 0);
			const duplicated = [...countById].filter(([, count]) => count > 1);
			const strangers = registrants.filter((registrant) => !externalIds.includes(registrant.id));
			const ok = answers.filter(
				(answer) =>
					answer.status === 200 && answer.body && typeof answer.body.joinWebUrl === 'string',
			);
			const statuses = {};
			for (const answer of answers) statuses[answer.status] = (statuses[answer.status] || 0) + 1;
			const failureTexts = [
				...new Set(
					answers
						.filter((answer) => answer.status !== 200)
						.map((answer) => answer.text.slice(0, 200)),
				),
			];
			const split = workerSplit(before, queue.executionsByWorker());
			const enqueued = queue.enqueuedCount() - enqueuedBefore;
			const slowest = Math.max(...answers.map((answer) => answer.ms));
			// Graph's side of the lost ones: how often each was tried and what Graph answered
			const attemptsById = new Map();
			for (const request of graph.requests.filter(
				(entry) => entry.method === 'POST' && entry.rawPath.endsWith('/registrants'),
			)) {
				const id = request.json && request.json.id;
				if (!attemptsById.has(id)) attemptsById.set(id, []);
				attemptsById.get(id).push(request.status);
			}
			const lostAttempts = {};
			for (const externalId of lost) {
				const key = (attemptsById.get(externalId) || []).join(',') || 'never sent';
				lostAttempts[key] = (lostAttempts[key] || 0) + 1;
			}
			console.log(
				[
					`    ${SUBMISSIONS} submissions drained in ${(drainMs / 1000).toFixed(1)} s (slowest answer ${(slowest / 1000).toFixed(1)} s)`,
					`    answers by HTTP status: ${JSON.stringify(statuses)}; with a join link: ${ok.length}`,
					`    sandbox: ${registrants.length} registrants, ${SUBMISSIONS - lost.length} of ${SUBMISSIONS} submissions enrolled, ${lost.length} lost, ` +
						`${duplicated.reduce((sum, [, count]) => sum + count - 1, 0)} duplicate registrations (${duplicated.length} people)`,
					`    Graph: ${graph.stats.requests} requests, ${graph.stats.throttled} answered 429 (throttled)`,
					`    main enqueued ${enqueued} executions; run per worker: ${JSON.stringify(split)}`,
					...(lost.length
						? [
								`    Graph's answers to the lost ones' attempts (how many lost that way): ${JSON.stringify(lostAttempts)}`,
							]
						: []),
					...failureTexts.slice(0, 3).map((text) => `    a failed answer: ${text}`),
				].join('\n'),
			);

			assert.deepEqual(
				statuses,
				{ 200: SUBMISSIONS },
				`every submission is answered 200 (${failureTexts.slice(0, 3).join(' | ')})`,
			);
			assert.equal(ok.length, SUBMISSIONS, 'every answer carries a join link');
			assert.deepEqual(lost, [], 'no submission is lost');
			assert.deepEqual(duplicated, [], 'nobody is enrolled twice');
			assert.deepEqual(strangers, [], 'only the submitted people are enrolled');
			assert.equal(registrants.length, SUBMISSIONS);
			const linkById = new Map(
				registrants.map((registrant) => [registrant.id, registrant.joinWebUrl]),
			);
			answers.forEach((answer, index) => {
				assert.equal(
					answer.body.id,
					externalIds[index],
					`answer ${index + 1} is about its own submission`,
				);
				assert.equal(
					answer.body.joinWebUrl,
					linkById.get(externalIds[index]),
					`answer ${index + 1} carries ${externalIds[index]}'s own join link`,
				);
			});
			assert.equal(
				new Set(answers.map((answer) => answer.body.joinWebUrl)).size,
				SUBMISSIONS,
				'every join link is different',
			);
			assert.equal(
				Object.values(split).reduce((sum, count) => sum + count, 0),
				enqueued,
				'the workers ran every execution the main process enqueued',
			);
		},
		TEST_OPTIONS,
	);
};
