'use strict';
/** Helpers shared by the *.e2e.js files. */
const assert = require('node:assert/strict');

/** Fails with n8n's own words unless `n8n execute` finished the workflow without an error. */
function assertRanGreen(run) {
	if (run.error)
		assert.fail(
			`n8n reported an error: ${run.error.message}${run.error.description ? ` — ${run.error.description}` : ''}`,
		);
	if (run.code !== 0)
		assert.fail(`n8n execute exited ${run.code}:\n${(run.stdout + run.stderr).slice(-2000)}`);
	assert.equal(run.result.status, 'success');
}

/**
 * Calls `check` (it may return a promise) every `intervalMs` until it returns something truthy,
 * and returns that; throws after `timeoutMs`.
 */
async function waitFor(what, check, timeoutMs = 30000, intervalMs = 250) {
	const started = Date.now();
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() - started > timeoutMs)
			throw new Error(`${what}: nothing within ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

/** The requests the Graph sandbox received for Graph itself (v1.0 and beta), not the app's sign-in. */
function graphRequestsOf(graph) {
	return graph.requests.filter(
		(request) => request.rawPath.startsWith('/v1.0/') || request.rawPath.startsWith('/beta/'),
	);
}

/** Requests as `METHOD path?query` lines, decoded, each followed by its status when `status` is set. */
function callLines(requests, { status = false } = {}) {
	return requests.map(
		(request) =>
			`${request.method} ${decodeURIComponent(request.rawPath)}${request.rawQuery ? `?${decodeURIComponent(request.rawQuery)}` : ''}${status ? ` ${request.status}` : ''}`,
	);
}

module.exports = { assertRanGreen, callLines, graphRequestsOf, waitFor };
