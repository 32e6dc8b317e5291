import type { IDataObject } from 'n8n-workflow';
import type { ListingsAfter } from '../helpers/listingsAfter';

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
			const looked = entry;
			looked.catch(() => {
				if (this.entries.get(key) === looked) this.entries.delete(key);
			});
		}
		return await entry;
	}

	/** Drops what was looked up for `key`: the next `get` looks it up again. */
	forget(key: string): void {
		this.entries.delete(key);
	}
}

/** What a run remembers about webinars. */
export interface WebinarCaches {
	/** A webinar's registration questions as Graph lists them, by webinar id. */
	questionsByWebinar: LookupCache<IDataObject[]>;
	/** A webinar's registrations as listed when first needed, all pages, by webinar id. */
	registrationsByWebinar: LookupCache<IDataObject[]>;
	/** Cancellations by email: the registrations cancelled, by webinar id and lower-cased email. */
	cancellationByEmail: LookupCache<IDataObject[]>;
	/** Shared listings that find app-only registrations after Graph's 204, by webinar id. */
	listingsAfter: Map<string, ListingsAfter>;
}

export interface MeetingRegistration {
	id?: string;
	allowedRegistrant?: string;
}

/** Everything an execution remembers between items. Created by the router, once per run. */
export interface ExecutionCaches {
	/** App-only: an organizer's object id, by lower-cased user principal name. */
	organizerIdByUpn: LookupCache<string>;
	/** The onlineMeeting Graph finds for a join link, by organizer and link. */
	meetingByJoinUrl: LookupCache<IDataObject>;
	/** A meeting's registration, by organizer and meeting id. */
	registrationByMeeting: LookupCache<MeetingRegistration>;
	/** A meeting's registrants as listed when first needed, all pages, by organizer and meeting id. */
	registrantsByMeeting: LookupCache<IDataObject[]>;
	/** Removals by external id: how many records were deleted, by organizer, meeting id and external id. */
	removalByExternalId: LookupCache<number>;
	/** Shared listings that find out what Graph did with creates whose answer was lost, by organizer and meeting id. */
	registrantListingsAfter: Map<string, ListingsAfter>;
	webinar: WebinarCaches;
}

export function createExecutionCaches(): ExecutionCaches {
	return {
		organizerIdByUpn: new LookupCache(),
		meetingByJoinUrl: new LookupCache(),
		registrationByMeeting: new LookupCache(),
		registrantsByMeeting: new LookupCache(),
		removalByExternalId: new LookupCache(),
		registrantListingsAfter: new Map(),
		webinar: {
			questionsByWebinar: new LookupCache(),
			registrationsByWebinar: new LookupCache(),
			cancellationByEmail: new LookupCache(),
			listingsAfter: new Map(),
		},
	};
}
