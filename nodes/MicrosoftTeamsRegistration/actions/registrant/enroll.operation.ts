import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { meetingLocator } from '../../descriptions/meeting.description';
import { meetingPath, readMeetingReference, readRegistration, resolveMeetingId } from '../../helpers/meetings';
import type { MeetingReference } from '../../helpers/meetings';
import { inputError, readOptionalGuid, readRequiredGuid, readRequiredText } from '../../helpers/parameters';
import type { Operation, OperationContext } from '../node.type';

type RegistrationMode = 'everyone' | 'organization' | 'auto';

export interface EnrollParameters {
	meeting: MeetingReference;
	mode: RegistrationMode;
	externalId: string;
	tenantId?: string;
	userId?: string;
	rawResponse: boolean;
}

const REGISTRANT_TYPE = '#microsoft.graph.externalMeetingRegistrant';

const show = { resource: ['registrant'], operation: ['enroll'] };

const description: INodeProperties[] = [
	{ ...meetingLocator, displayOptions: { show } },
	{
		displayName: 'Registration Mode',
		name: 'registrationMode',
		type: 'options',
		default: 'everyone',
		options: [
			{
				name: 'Everyone',
				value: 'everyone',
				description: 'The meeting allows anyone to register; only the external ID is sent',
			},
			{
				name: 'Organization',
				value: 'organization',
				description: 'The meeting allows registrants of a Microsoft Entra organization; their tenant ID and user ID are sent',
			},
			{
				name: 'Auto-Detect',
				value: 'auto',
				description: 'Read the meeting\'s registration once per run and send what it asks for',
			},
		],
		description: 'Who the meeting\'s external registration allows ("allowedRegistrant")',
		displayOptions: { show },
	},
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.email }}',
		description:
			'The attendee\'s unique ID in your registration system (form, CRM, sheet): any text. Graph puts it into the personal join link.',
		displayOptions: { show },
	},
	{
		displayName: 'Tenant ID',
		name: 'tenantId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 909c6581-5130-43e9-88f3-fcb3582cde37',
		description: 'The registrant\'s Microsoft Entra tenant (directory) ID',
		displayOptions: { show: { ...show, registrationMode: ['organization'] } },
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. cc515404-b55c-466e-b896-992c918ecc01',
		description: 'The registrant\'s Microsoft Entra object ID',
		displayOptions: { show: { ...show, registrationMode: ['organization'] } },
	},
	{
		displayName: 'Tenant ID',
		name: 'tenantId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 909c6581-5130-43e9-88f3-fcb3582cde37',
		description: 'The registrant\'s Microsoft Entra tenant (directory) ID; sent only if the meeting allows registrants of an organization',
		displayOptions: { show: { ...show, registrationMode: ['auto'] } },
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		placeholder: 'e.g. cc515404-b55c-466e-b896-992c918ecc01',
		description: 'The registrant\'s Microsoft Entra object ID; sent only if the meeting allows registrants of an organization',
		displayOptions: { show: { ...show, registrationMode: ['auto'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Return Raw Response',
				name: 'rawResponse',
				type: 'boolean',
				default: false,
				description: 'Whether to return Microsoft Graph\'s answer unchanged, OData fields included, instead of the registrant with its meeting ID',
			},
		],
	},
];

function readParameters(ctx: IExecuteFunctions, itemIndex: number): EnrollParameters {
	const meeting = readMeetingReference(ctx, itemIndex);
	const mode = ctx.getNodeParameter('registrationMode', itemIndex) as RegistrationMode;
	const externalId = readRequiredText(ctx, 'externalId', itemIndex);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const rawResponse = options.rawResponse === true;
	if (mode === 'organization') {
		return {
			meeting,
			mode,
			externalId,
			tenantId: readRequiredGuid(ctx, 'tenantId', itemIndex),
			userId: readRequiredGuid(ctx, 'userId', itemIndex),
			rawResponse,
		};
	}
	if (mode === 'auto') {
		return {
			meeting,
			mode,
			externalId,
			tenantId: readOptionalGuid(ctx, 'tenantId', itemIndex),
			userId: readOptionalGuid(ctx, 'userId', itemIndex),
			rawResponse,
		};
	}
	return { meeting, mode, externalId, rawResponse };
}

/** The registrant body as in the contract's examples; organization ids only when the meeting wants them. */
async function registrantBody(parameters: EnrollParameters, meetingId: string, context: OperationContext): Promise<IDataObject> {
	const { externalId, tenantId, userId } = parameters;
	let audience: string = parameters.mode;
	if (audience === 'auto') {
		audience = (await readRegistration(meetingId, context)).allowedRegistrant ?? 'unknown';
		if (audience !== 'everyone' && audience !== 'organization') {
			throw inputError(context.node, context.itemIndex, 'meeting', `has a registration this node does not know ("allowedRegistrant": ${audience})`);
		}
	}
	if (audience === 'everyone') return { '@odata.type': REGISTRANT_TYPE, id: externalId };
	for (const [field, value] of [['tenantId', tenantId], ['userId', userId]] as const) {
		if (value === undefined) {
			throw inputError(context.node, context.itemIndex, field, 'is required: the meeting allows registrants from an organization');
		}
	}
	return { '@odata.type': REGISTRANT_TYPE, id: externalId, tenantId, userId };
}

async function execute(parameters: EnrollParameters, context: OperationContext): Promise<IDataObject> {
	const meetingId = await resolveMeetingId(parameters.meeting, context);
	const body = await registrantBody(parameters, meetingId, context);
	const registrant = await context.graph.request<IDataObject>({
		method: 'POST',
		path: `${meetingPath(context.organizerRoot, meetingId)}/registration/registrants`,
		body,
		itemIndex: context.itemIndex,
	});
	if (parameters.rawResponse) return registrant;
	return {
		id: registrant.id,
		joinWebUrl: registrant.joinWebUrl,
		userId: registrant.userId ?? null,
		tenantId: registrant.tenantId ?? null,
		meetingId,
	};
}

export const enroll: Operation<EnrollParameters> = { description, readParameters, execute };
