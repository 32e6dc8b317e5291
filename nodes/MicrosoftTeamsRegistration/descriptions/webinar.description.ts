import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError, readLocator } from '../helpers/parameters';
import { eventIdOf, isVirtualEventKind } from '../graph/virtualEvents';
import type { VirtualEvent, VirtualEventKind } from '../graph/virtualEvents';
import { REGISTRATION_PAGE_PATTERN } from '../helpers/links';

/** Which kind of Teams event the operation works on; webinars unless chosen (saved workflows from before town halls). */
export const eventTypeField: INodeProperties = {
	displayName: 'Event Type',
	name: 'eventType',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Webinar', value: 'webinar' },
		{ name: 'Town Hall', value: 'townhall' },
	],
	default: 'webinar',
	description: 'Whether the event is a Teams webinar or a Teams town hall',
};

/** The Event Type of one item; sends nothing. */
export function readEventType(ctx: IExecuteFunctions, itemIndex: number): VirtualEventKind {
	const kind = ctx.getNodeParameter('eventType', itemIndex, 'webinar') as unknown;
	if (!isVirtualEventKind(kind))
		throw inputError(
			ctx.getNode(),
			itemIndex,
			'eventType',
			`must be "webinar" or "townhall", not ${JSON.stringify(kind)}`,
		);
	return kind;
}

/** The event of one item: its Event Type and the Event locator (`webinar`) checked for that kind; sends nothing. */
export function readEvent(ctx: IExecuteFunctions, itemIndex: number): VirtualEvent {
	const kind = readEventType(ctx, itemIndex);
	const id = readLocator(ctx, 'webinar', itemIndex, 'id', (reading) => eventIdOf(reading, kind));
	return { kind, id };
}

/**
 * An Event locator (a Teams webinar or town hall): picked from the organizer's events of the
 * Event Type (by `searchListMethod`), by ID, or by its registration page.
 */
export function eventLocatorField({
	name,
	description,
	searchListMethod,
}: {
	name: string;
	description: string;
	searchListMethod: string;
}): INodeProperties {
	return {
		displayName: 'Event',
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select an event...',
				typeOptions: {
					searchListMethod,
					searchable: true,
				},
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder:
					'e.g. 88b245ac-b0b2-f1aa-e34a-c81c27abdac2@f9448ec4-804b-46af-b810-62085248da33',
				hint: 'The webinar or town hall ID from Microsoft Graph',
			},
			{
				displayName: 'By Registration Page URL',
				name: 'url',
				type: 'string',
				placeholder: 'https://events.teams.microsoft.com/event/88b245ac-...@f9448ec4-...',
				hint: "The link of the event's registration page, as Teams shows it",
				validation: [
					{
						type: 'regex',
						properties: {
							regex: REGISTRATION_PAGE_PATTERN,
							errorMessage: 'Not a Teams registration page URL',
						},
					},
				],
			},
		],
	};
}

/**
 * The Teams webinar or town hall an operation works on. The parameter keeps its name `webinar`
 * (saved workflows name it so); the editor calls it "Event".
 */
export const webinarLocator: INodeProperties = eventLocatorField({
	name: 'webinar',
	description: 'The Teams webinar or town hall (virtual event)',
	searchListMethod: 'searchWebinars',
});

/** One person's registration for a webinar: by Graph's registration ID, or by the email they registered with. */
export const registrationLocator: INodeProperties = {
	displayName: 'Registration',
	name: 'registration',
	type: 'resourceLocator',
	default: { mode: 'email', value: '' },
	required: true,
	description: "The person's registration for the webinar or town hall",
	modes: [
		{
			displayName: 'By Email',
			name: 'email',
			type: 'string',
			placeholder: 'e.g. jane@example.com',
			hint: "The email address they registered with; the node lists the event's registrations once per run to find them",
		},
		{
			displayName: 'By Registration ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 127962bb-84e1-7b62-fd98-1c9d39def7b6',
			hint: 'The registration\'s "ID" from Register, Get or Get Many',
		},
	],
};
