import type { IDataObject } from 'n8n-workflow';

import type { OperationContext } from './context';
import { clock } from '../transport';

/**
 * What every execution in this n8n process shares about enrollments: one enrollment of an
 * external id in a meeting at a time, and the registrants this process enrolled lately (with
 * their join links, which Graph's listings never return). Another process (a queue-mode
 * worker) has its own: across processes only Graph's listing is shared.
 */
const RECENT_ENROLLMENTS = 10_000;
/** How long a link this process handed out stands in for Graph's listing (a removal elsewhere is not seen). */
const ENROLLMENT_MEMORY_MS = 10 * 60_000;

/** Runs one task per key at a time, in the order they came; other keys run alongside. */
class KeyedQueue {
	private readonly tails = new Map<string, Promise<unknown>>();

	async run<T>(key: string, task: () => Promise<T>): Promise<T> {
		const before = this.tails.get(key) ?? Promise.resolve();
		const result = before.catch(() => undefined).then(task);
		const tail = result.catch(() => undefined);
		this.tails.set(key, tail);
		void tail.then(() => {
			if (this.tails.get(key) === tail) this.tails.delete(key);
		});
		return await result;
	}
}

/** The most recent entries, oldest dropped first. */
class RecentMap<V> {
	private readonly entries = new Map<string, V>();

	constructor(private readonly limit: number) {}

	get(key: string): V | undefined {
		return this.entries.get(key);
	}

	set(key: string, value: V): void {
		this.entries.delete(key);
		this.entries.set(key, value);
		if (this.entries.size > this.limit)
			this.entries.delete(this.entries.keys().next().value as string);
	}

	delete(key: string): void {
		this.entries.delete(key);
	}
}

const enrollmentQueue = new KeyedQueue();
let enrolledHere = new RecentMap<{ registrant: IDataObject; at: number }>(RECENT_ENROLLMENTS);

function enrollmentKey(context: OperationContext, meetingId: string, externalId: string): string {
	return JSON.stringify([context.graph.scope, context.organizerRoot, meetingId, externalId]);
}

/** Runs `task` while no other item or execution of this process enrolls the same person. */
export async function oneEnrollmentAtATime<T>(
	context: OperationContext,
	meetingId: string,
	externalId: string,
	task: () => Promise<T>,
): Promise<T> {
	return await enrollmentQueue.run(enrollmentKey(context, meetingId, externalId), task);
}

/** The registrant this process enrolled for the external id, if it did so lately and nothing removed it since. */
export function enrolledByThisProcess(
	context: OperationContext,
	meetingId: string,
	externalId: string,
): IDataObject | undefined {
	const known = enrolledHere.get(enrollmentKey(context, meetingId, externalId));
	return known !== undefined && clock().now() - known.at <= ENROLLMENT_MEMORY_MS
		? known.registrant
		: undefined;
}

export function rememberEnrollment(
	context: OperationContext,
	meetingId: string,
	registrant: IDataObject,
): void {
	enrolledHere.set(enrollmentKey(context, meetingId, String(registrant.id)), {
		registrant,
		at: clock().now(),
	});
}

export function forgetEnrollment(
	context: OperationContext,
	meetingId: string,
	externalId: string,
): void {
	enrolledHere.delete(enrollmentKey(context, meetingId, externalId));
}

/** Removals per meeting in this process, so a listing that ran while one happened is read again. */
let removalsByMeeting = new RecentMap<number>(RECENT_ENROLLMENTS);

/** Forgets everything above (tests that start each run from a fresh process's state). */
export function forgetEnrollments(): void {
	enrolledHere = new RecentMap(RECENT_ENROLLMENTS);
	removalsByMeeting = new RecentMap(RECENT_ENROLLMENTS);
}

function meetingKey(context: OperationContext, meetingId: string): string {
	return JSON.stringify([context.graph.scope, context.organizerRoot, meetingId]);
}

export function noteRemoval(context: OperationContext, meetingId: string): void {
	const key = meetingKey(context, meetingId);
	removalsByMeeting.set(key, (removalsByMeeting.get(key) ?? 0) + 1);
}

/**
 * Runs `list` again until no removal in the meeting happened while it ran: Graph pages a
 * listing by position, so a registration removed meanwhile can make another one slip
 * between two pages.
 */
export async function listingWithoutRemovalsDuring<T>(
	context: OperationContext,
	meetingId: string,
	list: () => Promise<T>,
): Promise<T> {
	const key = meetingKey(context, meetingId);
	for (;;) {
		const before = removalsByMeeting.get(key) ?? 0;
		const listing = await list();
		if ((removalsByMeeting.get(key) ?? 0) === before) return listing;
	}
}
