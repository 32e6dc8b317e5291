import { sleep } from 'n8n-workflow';

/**
 * The time every pacing, retry and waiting decision of the node reads. Production runs on
 * the system clock; tests swap in a clock they advance themselves, so pacing is asserted
 * exactly instead of against wall-clock tolerances.
 */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms) => await sleep(Math.max(0, ms)),
};

let current: Clock = systemClock;

/** The clock in force for this process. */
export function clock(): Clock {
	return current;
}

/** Puts `next` in force (tests); `undefined` brings back the system clock. */
export function setClock(next: Clock | undefined): void {
	current = next ?? systemClock;
}
