/**
 * Per-execution memo of Graph lookups (meeting id by join link, registration by meeting).
 * It keeps the promise, so items that run at the same time share one request; a failed
 * lookup is forgotten so that a later item may try again.
 */
export class LookupCache<T> {
	private readonly entries = new Map<string, Promise<T>>();

	async get(key: string, lookup: () => Promise<T>): Promise<T> {
		let entry = this.entries.get(key);
		if (entry === undefined) {
			entry = lookup();
			this.entries.set(key, entry);
			entry.catch(() => this.entries.delete(key));
		}
		return await entry;
	}
}

export interface MeetingRegistration {
	id?: string;
	allowedRegistrant?: string;
}

/** Everything an execution remembers between items. Created by the router, once per run. */
export interface ExecutionCaches {
	meetingIdByJoinUrl: LookupCache<string>;
	registrationByMeeting: LookupCache<MeetingRegistration>;
}

export function createExecutionCaches(): ExecutionCaches {
	return {
		meetingIdByJoinUrl: new LookupCache(),
		registrationByMeeting: new LookupCache(),
	};
}
