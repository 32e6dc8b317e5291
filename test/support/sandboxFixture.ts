import { useVirtualTime } from '../harness/virtualClock';
import type { VirtualTime } from '../harness/virtualClock';
import type { GraphSandbox } from './enrollWorkflow';

export interface SandboxFixture {
	/** Starts the suite's sandbox once (e.g. startGraphSandbox, startSandboxWithAuthority). */
	start: () => Promise<GraphSandbox>;
	/** What every test starts from, after the sandbox's reset. */
	prepare?: (sandbox: GraphSandbox) => void;
	/** Hands the suite its sandbox and each test's virtual time. */
	use: (sandbox: GraphSandbox, virtualTime: VirtualTime) => void;
}

/**
 * The workflow suites' shared set-up: one sandbox per suite, reset before each test, and the
 * node and the sandbox on one virtual clock for each test (test/harness/virtualClock.ts).
 */
export function sandboxOnVirtualTime({ start, prepare, use }: SandboxFixture): void {
	let sandbox: GraphSandbox;
	let virtualTime: VirtualTime | undefined;
	beforeAll(async () => {
		sandbox = await start();
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(() => {
		virtualTime = useVirtualTime([sandbox]);
		sandbox.reset();
		prepare?.(sandbox);
		use(sandbox, virtualTime);
	});
	afterEach(() => virtualTime?.restore());
}
