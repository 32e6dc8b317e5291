import type { IDataObject } from 'n8n-workflow';

/**
 * Per-execution memo of Graph lookups and of work that must happen once per execution
 * (meeting by join link, registration by meeting, enrollment by external id...).
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
	/** The onlineMeeting Graph finds for a join link, by organizer and link. */
	meetingByJoinUrl: LookupCache<IDataObject>;
	/** A meeting's registration, by organizer and meeting id. */
	registrationByMeeting: LookupCache<MeetingRegistration>;
	/** A meeting's registrants as listed when first needed, all pages, by organizer and meeting id. */
	registrantsByMeeting: LookupCache<IDataObject[]>;
	/**
	 * When enrolling checks for duplicates: the registrant an external id is enrolled as,
	 * found in the listing or enrolled by an earlier item, by organizer, meeting id and external id.
	 */
	enrollmentByExternalId: LookupCache<IDataObject>;
	/** Removals by external id: how many records were deleted, by organizer, meeting id and external id. */
	removalByExternalId: LookupCache<number>;
}

export function createExecutionCaches(): ExecutionCaches {
	return {
		meetingByJoinUrl: new LookupCache(),
		registrationByMeeting: new LookupCache(),
		registrantsByMeeting: new LookupCache(),
		enrollmentByExternalId: new LookupCache(),
		removalByExternalId: new LookupCache(),
	};
}
