import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	ResourceMapperFields,
} from 'n8n-workflow';

import { authenticationOf } from '../../descriptions/authentication.description';
import { DEFAULT_DELIVERY } from '../../descriptions/requestOptions.description';
import { inputError, locatorOf } from '../../helpers/parameters';
import { openGraphClient } from '../../graph/client';
import { LookupCache } from '../../graph/executionCache';
import { organizerId, organizerReferenceOf } from '../../graph/organizer';
import type { OrganizerReference } from '../../graph/organizer';
import { organizerEventsPage } from '../../graph/virtualEvents';
import { listQuestions } from '../../graph/webinars';
import { VIRTUAL_EVENT_LABELS, eventIdOf, isVirtualEventKind } from '../../graph/virtualEvents';
import type { VirtualEventKind } from '../../graph/virtualEvents';
import type { AuthenticationMethod } from '../../transport';
import { mapperFieldsFor, questionsFromGraph } from './registrationQuestions';

/**
 * What the editor asks the node while a webinar or town hall registration is being set up:
 * the organizer's webinars or town halls (by Event Type) for the Event list, and the chosen
 * event's registration questions for the answer mapping.
 */

/** The node's Organizer as the editor has it (app-only); the signed-in organizer otherwise. */
function organizerOf(
	ctx: ILoadOptionsFunctions,
	authentication: AuthenticationMethod,
): OrganizerReference {
	if (authentication !== 'appOnly') return { kind: 'signedIn' };
	const value = ctx.getNodeParameter('organizer', '');
	const organizer = organizerReferenceOf(
		typeof value === 'string' ? value.trim() : String(value ?? ''),
	);
	if ('problem' in organizer) throw inputError(ctx.getNode(), 0, 'organizer', organizer.problem);
	return organizer;
}

/** The Event Type as the editor has it: webinars unless town halls are chosen. */
function eventTypeOf(ctx: ILoadOptionsFunctions): VirtualEventKind {
	const kind = ctx.getNodeParameter('eventType', 'webinar') as unknown;
	return isVirtualEventKind(kind) ? kind : 'webinar';
}

function dayOf(dateTime: unknown): string | undefined {
	const text = (dateTime as IDataObject | undefined)?.dateTime;
	return typeof text === 'string' ? text.slice(0, 10) : undefined;
}

/**
 * A page of the organizer's events as an Event list shows it: filtered by name, each named
 * with its day, drafts and canceled ones marked.
 */
export function eventListResults(
	page: { events: IDataObject[]; nextLink?: string },
	filter?: string,
): INodeListSearchResult {
	const wanted = (filter ?? '').trim().toLowerCase();
	const results = page.events
		.filter(
			(event) =>
				wanted === '' ||
				String(event.displayName ?? '')
					.toLowerCase()
					.includes(wanted),
		)
		.map((event) => {
			const day = dayOf(event.startDateTime);
			const status =
				event.status === 'published' || event.status === undefined
					? ''
					: ` (${String(event.status)})`;
			return {
				name: `${String(event.displayName ?? event.id)}${day ? ` — ${day}` : ''}${status}`,
				value: String(event.id),
			};
		});
	return { results, paginationToken: page.nextLink };
}

/** The organizer's webinars or town halls (by Event Type), a page at a time, filtered by name; drafts and canceled ones are marked. */
async function searchWebinars(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const authentication = authenticationOf(this);
	const graph = await openGraphClient(this, authentication, DEFAULT_DELIVERY);
	const organizer = await organizerId(
		organizerOf(this, authentication),
		graph,
		new LookupCache(),
		0,
	);
	const page = await organizerEventsPage(graph, eventTypeOf(this), organizer, paginationToken);
	return eventListResults(page, filter);
}

/** The chosen webinar's or town hall's registration questions as fields to answer. */
async function getRegistrationQuestions(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const kind = eventTypeOf(this);
	const label = VIRTUAL_EVENT_LABELS[kind];
	const reading = locatorOf(this.getNodeParameter('webinar', null), 'id');
	const eventId = 'problem' in reading ? undefined : eventIdOf(reading, kind);
	if (typeof eventId !== 'string') {
		return {
			fields: [],
			emptyFieldsNotice: `Choose the ${label} first: its registration questions appear here.`,
		};
	}
	const graph = await openGraphClient(this, authenticationOf(this), DEFAULT_DELIVERY);
	const questions = await listQuestions(graph, { kind, id: eventId }, 0);
	return {
		fields: mapperFieldsFor(questionsFromGraph(questions)),
		emptyFieldsNotice: `This ${label} asks no registration questions.`,
	};
}

export const webinarListSearch = { searchWebinars };
export const webinarResourceMapping = { getRegistrationQuestions };
