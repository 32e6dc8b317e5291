import type { IDataObject } from 'n8n-workflow';

import { clock } from '../transport/clock';

/**
 * A collection as listed after a given moment, for writes Graph may have carried out
 * without saying so (an app-only webinar registration answered 204 without an id, an
 * enrollment whose answer was lost): the node lists the collection to find out. Callers
 * share listings: one waiting for a listing that starts after its moment joins the next
 * one, and at most one listing runs at a time, so one listing serves every write answered
 * while the previous one ran.
 */
export class ListingsAfter {
	private latest?: { startedAt: number; registrations: Promise<IDataObject[]> };
	private queued?: Promise<IDataObject[]>;

	constructor(private readonly list: () => Promise<IDataObject[]>) {}

	async startedAfter(moment: number): Promise<IDataObject[]> {
		if (this.latest !== undefined && this.latest.startedAt >= moment)
			return await this.latest.registrations;
		// A queued listing starts once the running one ends, so after `moment` too.
		this.queued ??= this.startAfterRunning();
		return await this.queued;
	}

	private async startAfterRunning(): Promise<IDataObject[]> {
		await this.latest?.registrations.catch(() => undefined);
		const registrations = this.list();
		this.latest = { startedAt: clock().now(), registrations };
		this.queued = undefined;
		return await registrations;
	}
}
