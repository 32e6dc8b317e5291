import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, INodeListSearchResult, ResourceMapperFields } from 'n8n-workflow';

import { LookupCache } from '../../helpers/executionCache';
import { organizerRoot, readOrganizer } from '../../helpers/organizer';
import { WEBINAR_API_VERSION, editorGraphClient, listAll, webinarPath, webinarReferenceOf } from '../../helpers/webinars';
import type { GraphClient } from '../../transport';
import { encodePathSegment } from '../../transport/graphPath';
import { mapperFieldsFor, questionsFromGraph } from './registrationQuestions';

/**
 * What the editor asks the node while a webinar registration is being set up: the
 * organizer's webinars for the Webinar list, and the chosen webinar's registration
 * questions for the answer mapping.
 */

/** `getByUserRole` for the signed-in organizer; app-only, `getByUserIdAndRole` for the node's Organizer. */
async function organizerWebinarsPath(ctx: ILoadOptionsFunctions, graph: GraphClient): Promise<string> {
	if (graph.authentication !== 'appOnly') return "/solutions/virtualEvents/webinars/getByUserRole(role='organizer')";
	// readOrganizer reads parameters as an execution would; the editor's context answers the same call.
	const organizer = readOrganizer(ctx as unknown as IExecuteFunctions, 0, 'appOnly');
	const root = await organizerRoot(organizer, graph, new LookupCache(), 0);
	const organizerId = decodeURIComponent(root.slice('/users/'.length));
	// an OData string literal: a quote is doubled
	return `/solutions/virtualEvents/webinars/getByUserIdAndRole(userId='${encodePathSegment(organizerId.replace(/'/g, "''"))}',role='organizer')`;
}

function dayOf(dateTime: unknown): string | undefined {
	const text = (dateTime as IDataObject | undefined)?.dateTime;
	return typeof text === 'string' ? text.slice(0, 10) : undefined;
}

/** The organizer's webinars, a page at a time, filtered by name; drafts and canceled ones are marked. */
async function searchWebinars(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const graph = await editorGraphClient(this);
	const page = await graph.request<{ value?: IDataObject[]; '@odata.nextLink'?: unknown }>({
		method: 'GET',
		path: await organizerWebinarsPath(this, graph),
		apiVersion: WEBINAR_API_VERSION,
		nextLink: paginationToken,
	});
	const wanted = (filter ?? '').trim().toLowerCase();
	const results = (page.value ?? [])
		.filter((webinar) => wanted === '' || String(webinar.displayName ?? '').toLowerCase().includes(wanted))
		.map((webinar) => {
			const day = dayOf(webinar.startDateTime);
			const status = webinar.status === 'published' || webinar.status === undefined ? '' : ` (${String(webinar.status)})`;
			return { name: `${String(webinar.displayName ?? webinar.id)}${day ? ` — ${day}` : ''}${status}`, value: String(webinar.id) };
		});
	const next = page['@odata.nextLink'];
	return { results, paginationToken: typeof next === 'string' ? next : undefined };
}

/** The chosen webinar's registration questions as fields to answer. */
async function getRegistrationQuestions(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const reference = webinarReferenceOf(this.getNodeParameter('webinar', null));
	if ('problem' in reference) return { fields: [], emptyFieldsNotice: 'Choose the webinar first: its registration questions appear here.' };
	const graph = await editorGraphClient(this);
	const questions = await listAll(graph, `${webinarPath(reference.webinarId)}/registrationConfiguration/questions`, 0);
	return { fields: mapperFieldsFor(questionsFromGraph(questions)), emptyFieldsNotice: 'This webinar asks no registration questions.' };
}

export const webinarListSearch = { searchWebinars };
export const webinarResourceMapping = { getRegistrationQuestions };
