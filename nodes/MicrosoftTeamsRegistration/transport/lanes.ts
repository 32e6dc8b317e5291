/**
 * Delivery lanes: one queue per Graph budget per identity, shared by every execution in
 * this n8n process (a worker in queue mode has its own). Executions that start together,
 * such as one per form submission, then take turns under one rate, one Retry-After pause
 * and one in-flight limit instead of each pushing Graph on its own.
 *
 * Lanes live as long as they are used: one that has been idle for a while is dropped, so
 * memory stays bounded whatever runs through the process.
 */
import type { Clock } from './clock';
import { Pacer } from './pacer';
import type { PacerOptions } from './pacer';

/** The limits Graph keeps apart. */
export type Budget = 'meetings' | 'webinarReads' | 'webinarWrites';

/**
 * Graph's documented virtual-event limits, per app across all tenants: 15 writes and 750
 * reads per 30 s. A lane starts at its limit and never exceeds it, and backs off when Graph
 * throttles anyway (another process of the same app, such as a second queue-mode worker, is
 * using the same budget). Online meetings document none, so that lane finds its own.
 */
export const BUDGET_RATES: Record<Budget, number | undefined> = {
	meetings: undefined,
	webinarReads: 750 / 30,
	webinarWrites: 15 / 30,
};

/** The budget a request counts against. */
export function budgetOf(method: string, path: string): Budget {
	if (!path.startsWith('/solutions/virtualEvents')) return 'meetings';
	return method === 'GET' ? 'webinarReads' : 'webinarWrites';
}

const IDLE_LANE_MS = 10 * 60_000;

/** The lanes of one clock (the system clock in production; tests bring their own). */
class LaneRegistry {
	private readonly lanes = new Map<string, Pacer>();

	constructor(private readonly clock: Clock) {}

	/** The lane for `key`, created or re-configured with `options`. */
	lane(key: string, options: PacerOptions): Pacer {
		for (const [laneKey, lane] of this.lanes) {
			if (lane.idleFor(IDLE_LANE_MS)) this.lanes.delete(laneKey);
		}
		let lane = this.lanes.get(key);
		if (lane === undefined) {
			lane = new Pacer(options, this.clock);
			this.lanes.set(key, lane);
		} else {
			lane.configure(options);
		}
		return lane;
	}
}

const registries = new WeakMap<Clock, LaneRegistry>();

/** This process's lanes on `clock`. */
export function lanesOn(clock: Clock): LaneRegistry {
	let registry = registries.get(clock);
	if (registry === undefined) {
		registry = new LaneRegistry(clock);
		registries.set(clock, registry);
	}
	return registry;
}

/** Forgets every lane on `clock` (tests that want each run to start from nothing). */
export function forgetLanes(clock: Clock): void {
	registries.delete(clock);
}
