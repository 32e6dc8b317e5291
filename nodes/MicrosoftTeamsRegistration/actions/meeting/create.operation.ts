import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	allowedRegistrantField,
	readAllowedRegistrant,
} from '../../descriptions/registration.description';
import { withoutODataFields } from '../../helpers/data';
import { asNodeError } from '../../helpers/errors';
import { inputError, readDateTime, readRequiredText } from '../../helpers/parameters';
import { createMeeting, createRegistration } from '../../graph/meetings';
import { defineOperation } from '../operation';
import type { OperationContext } from '../operation';

export interface CreateMeetingParameters {
	/** The onlineMeeting body: subject, times and the chosen extras. */
	meeting: IDataObject;
	/** The registration to enable right after creating the meeting, if any. */
	allowedRegistrant?: string;
}

const displayOptions = { show: { resource: ['meeting'], operation: ['create'] } };

const properties: INodeProperties[] = [
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Product launch webinar',
		description: "The meeting's title, shown to attendees",
	},
	{
		displayName: 'Start',
		name: 'startDateTime',
		type: 'dateTime',
		default: '',
		required: true,
		description:
			"When the meeting starts. A time without offset is read in the workflow's time zone.",
	},
	{
		displayName: 'End',
		name: 'endDateTime',
		type: 'dateTime',
		default: '',
		required: true,
		description:
			"When the meeting ends. A time without offset is read in the workflow's time zone.",
	},
	{
		displayName: 'Enable Registration',
		name: 'enableRegistration',
		type: 'boolean',
		default: true,
		description:
			'Whether to enable external registration on the new meeting in the same step, so attendees can be enrolled right away',
	},
	{ ...allowedRegistrantField, displayOptions: { show: { enableRegistration: [true] } } },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Allow Attendees to Turn On Camera',
				name: 'allowAttendeeToEnableCamera',
				type: 'boolean',
				default: true,
				description: 'Whether attendees can turn on their camera',
			},
			{
				displayName: 'Allow Attendees to Turn On Microphone',
				name: 'allowAttendeeToEnableMic',
				type: 'boolean',
				default: true,
				description: 'Whether attendees can turn on their microphone',
			},
			{
				displayName: 'Announce When Callers Join or Leave',
				name: 'isEntryExitAnnounced',
				type: 'boolean',
				default: false,
				description: 'Whether to announce when callers join or leave',
			},
			{
				displayName: 'Meeting Chat',
				name: 'allowMeetingChat',
				type: 'options',
				default: 'enabled',
				options: [
					{ name: 'Enabled', value: 'enabled' },
					{ name: 'Disabled', value: 'disabled' },
					{ name: 'Only During the Meeting', value: 'limited' },
				],
				description: 'Whether attendees can chat in the meeting',
			},
			{
				displayName: 'Presenters',
				name: 'allowedPresenters',
				type: 'options',
				default: 'everyone',
				options: [
					{ name: 'Everyone', value: 'everyone' },
					{
						name: 'Organization',
						value: 'organization',
						description: "People in the organizer's organization",
					},
					{ name: 'Organizer Only', value: 'organizer' },
					{
						name: 'Specific People',
						value: 'roleIsPresenter',
						description: 'Attendees given the presenter role',
					},
				],
				description: 'Who can present in the meeting',
			},
			{
				displayName: 'Record Automatically',
				name: 'recordAutomatically',
				type: 'boolean',
				default: false,
				description: 'Whether to start recording when the meeting starts',
			},
			{
				displayName: 'Who Can Bypass the Lobby',
				name: 'lobbyBypassScope',
				type: 'options',
				default: 'organization',
				options: [
					{ name: 'Everyone', value: 'everyone' },
					{ name: 'Invited People', value: 'invited' },
					{ name: 'Organization', value: 'organization' },
					{ name: 'Organization and Federated Organizations', value: 'organizationAndFederated' },
					{ name: 'Organization Without Guests', value: 'organizationExcludingGuests' },
					{ name: 'Organizer Only', value: 'organizer' },
				],
				description:
					'Who joins directly instead of waiting in the lobby ("lobbyBypassSettings.scope")',
			},
		],
	},
];

const description = updateDisplayOptions(displayOptions, properties);

function readParameters(ctx: IExecuteFunctions, itemIndex: number): CreateMeetingParameters {
	const subject = readRequiredText(ctx, 'subject', itemIndex);
	const startDateTime = readDateTime(ctx, 'startDateTime', itemIndex);
	const endDateTime = readDateTime(ctx, 'endDateTime', itemIndex);
	if (Date.parse(endDateTime) <= Date.parse(startDateTime)) {
		throw inputError(
			ctx.getNode(),
			itemIndex,
			'endDateTime',
			`must be after the start (${startDateTime}), not ${endDateTime}`,
		);
	}
	const { lobbyBypassScope, ...extras } = ctx.getNodeParameter(
		'additionalFields',
		itemIndex,
		{},
	) as IDataObject;
	const meeting: IDataObject = { subject, startDateTime, endDateTime, ...extras };
	if (lobbyBypassScope !== undefined) meeting.lobbyBypassSettings = { scope: lobbyBypassScope };
	const enableRegistration = ctx.getNodeParameter('enableRegistration', itemIndex, true) as boolean;
	if (!enableRegistration) return { meeting };
	return {
		meeting,
		allowedRegistrant: readAllowedRegistrant(ctx, itemIndex),
	};
}

async function execute(
	parameters: CreateMeetingParameters,
	context: OperationContext,
): Promise<IDataObject> {
	const meeting = withoutODataFields(await createMeeting(parameters.meeting, context));
	if (parameters.allowedRegistrant === undefined) return { ...meeting, registration: null };
	try {
		const { id, allowedRegistrant } = await createRegistration(
			String(meeting.id),
			parameters.allowedRegistrant,
			context,
		);
		return { ...meeting, registration: { id, allowedRegistrant } };
	} catch (caught) {
		// The meeting exists now: running the node again would create a second one.
		const error = asNodeError(context.node, caught);
		error.description = [
			`The meeting was created (ID ${String(meeting.id)}, join link ${String(meeting.joinWebUrl)}) but enabling its registration failed.`,
			'Enable it with Resource "Registration", Operation "Enable" rather than creating the meeting again.',
			error.description,
		]
			.filter(Boolean)
			.join(' ');
		throw error;
	}
}

export const create = defineOperation<CreateMeetingParameters>({
	description,
	readParameters,
	execute,
});
