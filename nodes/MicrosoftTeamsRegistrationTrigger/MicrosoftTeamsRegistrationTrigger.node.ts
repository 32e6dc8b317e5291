import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	INodeListSearchResult,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import {
	authenticationField,
	authenticationOf,
	organizerField,
} from '../MicrosoftTeamsRegistration/descriptions/authentication.description';
import { DEFAULT_DELIVERY } from '../MicrosoftTeamsRegistration/descriptions/requestOptions.description';
import { eventListResults } from '../MicrosoftTeamsRegistration/actions/webinarRegistration/editorMethods';
import { eventLocatorField } from '../MicrosoftTeamsRegistration/descriptions/webinar.description';
import { LookupCache } from '../MicrosoftTeamsRegistration/graph/executionCache';
import { organizerId, organizerReferenceOf } from '../MicrosoftTeamsRegistration/graph/organizer';
import type { OrganizerReference } from '../MicrosoftTeamsRegistration/graph/organizer';
import {
	eventIdOf,
	isVirtualEventKind,
	listEventRegistrations,
	openRegistrationReader,
	organizerEventsPage,
} from '../MicrosoftTeamsRegistration/graph/virtualEvents';
import type { VirtualEventKind } from '../MicrosoftTeamsRegistration/graph/virtualEvents';
import { isRecord, withoutODataFields } from '../MicrosoftTeamsRegistration/helpers/data';
import { locatorOf } from '../MicrosoftTeamsRegistration/helpers/parameters';
import { testAppOnlyCredential } from '../MicrosoftTeamsRegistration/transport/credentialTest';

/** What the trigger can start a workflow for. */
type Change = 'newRegistration' | 'cancellation';

/**
 * What the trigger remembers between polls (the workflow's static data, kept by n8n across
 * restarts): which event it watches, and each registration's status at the last poll. Pruned
 * to the last listing, so it never holds more than the event has registrations.
 */
interface TriggerState {
	event: string;
	statuses: Record<string, string>;
}

const CANCELED = 'canceled';

function readState(staticData: IDataObject, eventKey: string): TriggerState | undefined {
	const { event, statuses } = staticData;
	if (event !== eventKey || !isRecord(statuses)) return undefined;
	return {
		event,
		statuses: Object.fromEntries(
			Object.entries(statuses).map(([id, status]) => [id, String(status)]),
		),
	};
}

/** Reading a parameter n8n stores as plain text, in a poll or in the editor. */
function textParameter(ctx: IPollFunctions | ILoadOptionsFunctions, name: string): string {
	const value = ctx.getNodeParameter(name, '') as unknown;
	return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

function inputProblem(
	node: INode,
	field: string,
	problem: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(node, `"${field}" ${problem}`, { description });
}

/** The app-only Organizer (object id or user principal name), read as the main node reads it. */
function readOrganizer(ctx: IPollFunctions | ILoadOptionsFunctions): OrganizerReference {
	const organizer = organizerReferenceOf(textParameter(ctx, 'organizer'));
	if ('problem' in organizer)
		throw inputProblem(
			ctx.getNode(),
			'Organizer',
			organizer.problem,
			'App-only, the Event list shows the events of this organizer.',
		);
	return organizer;
}

/** The watched event's id from the Event locator (from the list, by ID, or by registration page URL). */
function readEventId(ctx: IPollFunctions, kind: VirtualEventKind): string {
	const reading = locatorOf(ctx.getNodeParameter('event'), 'id');
	const checked = 'problem' in reading ? reading : eventIdOf(reading, kind);
	if (typeof checked !== 'string')
		throw inputProblem(ctx.getNode(), 'Event', checked.problem, checked.description);
	return checked;
}

function readEventType(ctx: IPollFunctions | ILoadOptionsFunctions): VirtualEventKind {
	const kind = ctx.getNodeParameter('eventType', 'webinar') as unknown;
	if (!isVirtualEventKind(kind))
		throw inputProblem(
			ctx.getNode(),
			'Event Type',
			`must be "webinar" or "townhall", not ${JSON.stringify(kind)}`,
		);
	return kind;
}

function registrationTime(registration: IDataObject): number {
	return (
		Date.parse(
			String(registration.cancelationDateTime ?? registration.registrationDateTime ?? ''),
		) || 0
	);
}

function itemOf(
	registration: IDataObject,
	change: Change,
	kind: VirtualEventKind,
	eventId: string,
): INodeExecutionData {
	return { json: { change, ...withoutODataFields(registration), eventType: kind, eventId } };
}

/** What changed since the last poll: new registrations, and registrations canceled since. */
export function changesSince(
	previous: Record<string, string>,
	registrations: IDataObject[],
	triggerOn: ReadonlySet<Change>,
): Array<{ registration: IDataObject; change: Change }> {
	const changes: Array<{ registration: IDataObject; change: Change }> = [];
	for (const registration of registrations) {
		const id = String(registration.id);
		const before = previous[id];
		const canceled = registration.status === CANCELED;
		// A registration first seen already canceled (made and canceled between two polls) is a cancellation.
		if (before === undefined && !canceled && triggerOn.has('newRegistration'))
			changes.push({ registration, change: 'newRegistration' });
		else if (canceled && before !== CANCELED && triggerOn.has('cancellation'))
			changes.push({ registration, change: 'cancellation' });
	}
	return changes;
}

export class MicrosoftTeamsRegistrationTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft Teams Registration Trigger',
		name: 'microsoftTeamsRegistrationTrigger',
		icon: {
			light: 'file:../MicrosoftTeamsRegistration/microsoftTeamsRegistration.svg',
			dark: 'file:../MicrosoftTeamsRegistration/microsoftTeamsRegistration.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["eventType"] === "townhall" ? "Town hall" : "Webinar" }}',
		description:
			'Starts the workflow when someone registers for, or cancels, a Microsoft Teams webinar or town hall',
		defaults: { name: 'Microsoft Teams Registration Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'microsoftTeamsRegistrationOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
			{
				name: 'microsoftTeamsRegistrationAppOnlyApi',
				required: true,
				testedBy: 'appOnlyCredentialTest',
				displayOptions: { show: { authentication: ['appOnly'] } },
			},
		],
		properties: [
			authenticationField,
			{
				...organizerField,
				required: false,
				description:
					'The organizer whose webinars or town halls "From List" shows: their object ID or user principal name. Their Teams application access policy must allow the app.',
			},
			{
				displayName: 'Event Type',
				name: 'eventType',
				type: 'options',
				options: [
					{ name: 'Webinar', value: 'webinar' },
					{ name: 'Town Hall', value: 'townhall' },
				],
				default: 'webinar',
			},
			eventLocatorField({
				name: 'event',
				description: 'The Teams webinar or town hall whose registrations to watch',
				searchListMethod: 'searchEvents',
			}),
			{
				displayName: 'Trigger On',
				name: 'triggerOn',
				type: 'multiOptions',
				options: [
					{
						name: 'New Registration',
						value: 'newRegistration',
						description:
							"Someone registered (on Teams' registration page, through Graph, or through this package)",
					},
					{
						name: 'Cancellation',
						value: 'cancellation',
						description: 'A registration was canceled',
					},
				],
				default: ['newRegistration'],
				required: true,
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Emit Existing on First Poll',
						name: 'emitExisting',
						type: 'boolean',
						default: false,
						description:
							'Whether the first poll emits every registration the event already has (and every cancellation, if chosen); otherwise it only remembers them',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: { appOnlyCredentialTest: testAppOnlyCredential },
		listSearch: {
			/** The organizer's webinars or town halls (by Event Type), a page at a time, filtered by name. */
			async searchEvents(
				this: ILoadOptionsFunctions,
				filter?: string,
				paginationToken?: string,
			): Promise<INodeListSearchResult> {
				const authentication = authenticationOf(this);
				const graph = await openRegistrationReader(this, authentication, DEFAULT_DELIVERY);
				const kind = readEventType(this);
				const organizer =
					authentication === 'appOnly'
						? await organizerId(readOrganizer(this), graph, new LookupCache(), 0)
						: undefined;
				const page = await organizerEventsPage(graph, kind, organizer, paginationToken);
				return eventListResults(page, filter);
			},
		},
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const node = this.getNode();
		const kind = readEventType(this);
		const eventId = readEventId(this, kind);
		const triggerOn = new Set(
			(this.getNodeParameter('triggerOn', []) as unknown[]).filter(
				(value): value is Change => value === 'newRegistration' || value === 'cancellation',
			),
		);
		if (triggerOn.size === 0)
			throw inputProblem(
				node,
				'Trigger On',
				'is empty',
				'Choose New Registration, Cancellation, or both.',
			);
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const emitExisting = options.emitExisting === true;

		const graph = await openRegistrationReader(this, authenticationOf(this), DEFAULT_DELIVERY);
		const registrations = await listEventRegistrations(graph, kind, eventId);

		const staticData = this.getWorkflowStaticData('node');
		const eventKey = `${kind} ${eventId}`;
		const previous = readState(staticData, eventKey);
		const statuses: Record<string, string> = {};
		for (const registration of registrations)
			statuses[String(registration.id)] = String(registration.status);
		staticData.event = eventKey;
		staticData.statuses = statuses;

		let changes = changesSince(previous?.statuses ?? {}, registrations, triggerOn);
		if (previous === undefined && !emitExisting) changes = [];
		if (changes.length === 0 && this.getMode() === 'manual') {
			// A manual test run shows the latest matching registration, so the user sees what an item looks like.
			// Of equal times, the later in the listing (Graph lists in the order registrations were made).
			const latest = changesSince({}, registrations, triggerOn).reduce<
				ReturnType<typeof changesSince>[number] | undefined
			>(
				(newest, candidate) =>
					newest === undefined ||
					registrationTime(candidate.registration) >= registrationTime(newest.registration)
						? candidate
						: newest,
				undefined,
			);
			if (latest !== undefined) changes = [latest];
		}
		if (changes.length === 0) return null;
		return [changes.map(({ registration, change }) => itemOf(registration, change, kind, eventId))];
	}
}
