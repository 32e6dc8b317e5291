import { useVirtualTime } from '../harness/virtualClock';
import type { VirtualTime } from '../harness/virtualClock';
import type { GraphSandbox } from './enrollWorkflow';

export interface SandboxFixture<Use> {
	/** Starts the suite's sandbox once (e.g. startGraphSandbox, startSandboxWithAuthority). */
	start: () => Promise<GraphSandbox>;
	/** What every test starts from, after the sandbox's reset. */
	prepare?: (sandbox: GraphSandbox) => void;
	/** Hands the suite its sandbox (and, on virtual time, each test's virtual time). */
	use: Use;
}

/**
 * The workflow suites' shared set-up: one sandbox per suite, started before the first test
 * and closed after the last, reset (then `prepare`d) before each test.
 */
export function sandboxFixture({
	start,
	prepare,
	use,
}: SandboxFixture<(sandbox: GraphSandbox) => void>): void {
	setUp(start, (sandbox) => {
		sandbox.reset();
		prepare?.(sandbox);
		use(sandbox);
	});
}

/**
 * The same, with the node and the sandbox on one virtual clock for each test
 * (test/harness/virtualClock.ts): for suites about pacing, retries and faults.
 */
export function sandboxOnVirtualTime({
	start,
	prepare,
	use,
}: SandboxFixture<(sandbox: GraphSandbox, virtualTime: VirtualTime) => void>): void {
	let virtualTime: VirtualTime | undefined;
	setUp(start, (sandbox) => {
		virtualTime = useVirtualTime([sandbox]);
		sandbox.reset();
		prepare?.(sandbox);
		use(sandbox, virtualTime);
	});
	afterEach(() => virtualTime?.restore());
}

function setUp(
	start: () => Promise<GraphSandbox>,
	beforeEachTest: (sandbox: GraphSandbox) => void,
): void {
	let sandbox: GraphSandbox;
	beforeAll(async () => {
		sandbox = await start();
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(() => beforeEachTest(sandbox));
}
