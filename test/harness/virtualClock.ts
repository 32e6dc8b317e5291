/**
 * Virtual time for workflow tests: the node (through its transport clock) and the Graph
 * sandbox read the same `VirtualClock`, and time moves only when everything in the process
 * is waiting on it. A test can then assert pacing and Retry-After to the millisecond, however
 * loaded the machine is.
 *
 * "Waiting on it" means: no HTTP request is on its way or being answered, except the sandbox
 * requests parked in a latency pause (which sleep on the same clock). Client requests are
 * counted at Node's `http`/`https` request functions (n8n's helpers) and through undici's
 * diagnostics channels (`fetch`, which MSAL uses).
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';

interface Sleeper {
	at: number;
	order: number;
	wake: () => void;
}

export class VirtualClock {
	private time: number;
	private sleepers: Sleeper[] = [];
	private order = 0;

	constructor(start = Date.now()) {
		this.time = start;
	}

	now(): number {
		return this.time;
	}

	async sleep(ms: number): Promise<void> {
		await new Promise<void>((wake) => {
			this.sleepers.push({ at: this.time + Math.max(0, ms), order: this.order++, wake });
		});
	}

	/** Moves to the earliest wake-up and wakes, in the order they slept, all sleepers due then. */
	advance(): boolean {
		if (this.sleepers.length === 0) return false;
		this.time = Math.max(this.time, Math.min(...this.sleepers.map((sleeper) => sleeper.at)));
		const due = this.sleepers
			.filter((sleeper) => sleeper.at <= this.time)
			.sort((a, b) => a.order - b.order);
		this.sleepers = this.sleepers.filter((sleeper) => sleeper.at > this.time);
		for (const sleeper of due) sleeper.wake();
		return true;
	}
}

/** Requests made by this process's HTTP clients that have not finished yet. */
let openClientRequests = 0;
let counting = false;

function countClientRequests(): void {
	if (counting) return;
	counting = true;
	for (const module of [http, https]) {
		const original = module.request;
		const counted = function (this: unknown, ...args: unknown[]) {
			const request = (original as (...a: unknown[]) => http.ClientRequest).apply(this, args);
			openClientRequests++;
			let finished = false;
			request.once('close', () => {
				if (finished) return;
				finished = true;
				openClientRequests--;
			});
			return request;
		};
		(module as { request: unknown }).request = counted;
	}
	const undiciOpen = new WeakSet<object>();
	diagnosticsChannel.subscribe('undici:request:create', (message) => {
		undiciOpen.add((message as { request: object }).request);
		openClientRequests++;
	});
	const finish = (message: unknown) => {
		const { request } = message as { request: object };
		if (undiciOpen.delete(request)) openClientRequests--;
	};
	diagnosticsChannel.subscribe('undici:request:trailers', finish);
	diagnosticsChannel.subscribe('undici:request:error', finish);
}

interface SandboxActivity {
	activity: { inFlight: number; pausing: number };
	clock: { now(): number; sleep(ms: number): Promise<unknown> };
}

const turn = async () => await new Promise<void>((resolve) => setImmediate(resolve));

/** Lets `count` turns of the event loop pass: work woken by a virtual clock runs on. */
export async function turns(count: number): Promise<void> {
	for (let i = 0; i < count; i++) await turn();
}
const realPause = async (ms: number) =>
	await new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The node's transport clock module, as n8n-core loaded it from the built package. */
function nodeClockModule(): { setClock(clock: unknown): void } {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(
		path.resolve(__dirname, '../../dist/nodes/MicrosoftTeamsRegistration/transport/clock.js'),
	);
}

/**
 * The node keeps delivery lanes and recent enrollments for the whole process, as n8n does;
 * tests start each run from none unless they test sharing.
 */
export function forgetNodeProcessState(): void {
	const built = (file: string) =>
		path.resolve(__dirname, '../../dist/nodes/MicrosoftTeamsRegistration', file);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const lanes = require(built('transport/lanes.js'));
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const clock = require(built('transport/clock.js'));
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const enrollments = require(built('graph/enrollments.js'));
	lanes.forgetLanes(clock.clock());
	enrollments.forgetEnrollments();
}

export interface VirtualTime {
	clock: VirtualClock;
	/** Runs `work` to its end, moving the clock whenever everything waits on it. */
	run<T>(work: Promise<T>): Promise<T>;
	/** Back to the system clock, for the node and the sandbox. */
	restore(): void;
}

/**
 * Puts the node and `sandboxes` on one virtual clock until `restore()`. Use it in
 * `beforeEach`/`afterEach`, and wrap each workflow run in `run` (the workflow runners of
 * test/support do when a virtual time is active).
 */
export function useVirtualTime(sandboxes: SandboxActivity[]): VirtualTime {
	countClientRequests();
	forgetNodeProcessState();
	const clock = new VirtualClock();
	const sandboxClocks = sandboxes.map((sandbox) => sandbox.clock);
	for (const sandbox of sandboxes) sandbox.clock = clock;
	nodeClockModule().setClock(clock);

	const quiet = () =>
		sandboxes.every(({ activity }) => activity.inFlight === activity.pausing) &&
		openClientRequests === sandboxes.reduce((sum, { activity }) => sum + activity.pausing, 0);

	/** Quiet through a few event-loop turns and a real millisecond: promise chains have run out. */
	async function settled(): Promise<boolean> {
		for (let check = 0; check < 3; check++) {
			for (let i = 0; i < 20; i++) await turn();
			if (!quiet()) return false;
			await realPause(1);
			if (!quiet()) return false;
		}
		return true;
	}

	// Runs that overlap (executions at the same time) share one driver, so the clock moves once
	// per quiet moment, whoever is waiting.
	let running = 0;
	let driver: Promise<void> | undefined;
	const drive = async () => {
		while (running > 0) {
			if (!(await settled()) || running === 0) {
				await realPause(2);
				continue;
			}
			if (!clock.advance()) await realPause(2);
		}
		driver = undefined;
	};

	const virtualTime: VirtualTime = {
		clock,
		async run<T>(work: Promise<T>): Promise<T> {
			running++;
			driver ??= drive();
			try {
				return await work;
			} finally {
				running--;
			}
		},
		restore() {
			sandboxes.forEach((sandbox, i) => (sandbox.clock = sandboxClocks[i]));
			nodeClockModule().setClock(undefined);
			activeVirtualTime = undefined;
		},
	};
	activeVirtualTime = virtualTime;
	return virtualTime;
}

let activeVirtualTime: VirtualTime | undefined;

/** Runs a workflow under the active virtual time, if a test set one up; as it is otherwise. */
export async function onTestClock<T>(work: Promise<T>): Promise<T> {
	return activeVirtualTime ? await activeVirtualTime.run(work) : await work;
}
