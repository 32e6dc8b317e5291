import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { meetingLocator } from '../../descriptions/meeting.description';
import {
	inputError,
	readChoice,
	readLocator,
	readOptionalGuid,
	readRequiredGuid,
	readRequiredText,
} from '../../helpers/parameters';
import {
	enrolledByThisProcess,
	oneEnrollmentAtATime,
	rememberEnrollment,
} from '../../graph/enrollments';
import {
	listRegistrants,
	forgetRegistrantsListing,
	listRegistrantsOnce,
	meetingReferenceOf,
	readRegistration,
	removeRegistrant,
	resolveMeetingId,
} from '../../graph/meetings';
import type { MeetingReference } from '../../graph/meetings';
import { createRegistrantExactlyOnce } from '../../graph/reconcile';
import { asNodeError } from '../../helpers/errors';
import { defineOperation } from '../operation';
import type { OperationContext } from '../operation';

const REGISTRATION_MODES = ['everyone', 'organization', 'auto'] as const;
type RegistrationMode = (typeof REGISTRATION_MODES)[number];
const IF_ALREADY_ENROLLED = ['enrollAgain', 'skip', 'error', 'replace'] as const;
type IfAlreadyEnrolled = (typeof IF_ALREADY_ENROLLED)[number];

export interface EnrollParameters {
	meeting: MeetingReference;
	mode: RegistrationMode;
	externalId: string;
	tenantId?: string;
	userId?: string;
	rawResponse: boolean;
	ifAlreadyEnrolled: IfAlreadyEnrolled;
}

const REGISTRANT_TYPE = '#microsoft.graph.externalMeetingRegistrant';

const displayOptions = { show: { resource: ['registrant'], operation: ['enroll'] } };

const properties: INodeProperties[] = [
	{
		...meetingLocator,
		description:
			'The Teams meeting to enroll the attendee in; external registration must be enabled on it',
	},
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
				description:
					'The meeting allows registrants of a Microsoft Entra organization; their tenant ID and user ID are sent',
			},
			{
				name: 'Auto-Detect',
				value: 'auto',
				description: "Read the meeting's registration once per run and send what it asks for",
			},
		],
		description: 'Who the meeting\'s external registration allows ("allowedRegistrant")',
	},
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.email }}',
		description:
			"The attendee's unique ID in your registration system (form, CRM, sheet): any text. Graph puts it into the personal join link.",
	},
	{
		displayName: 'Tenant ID',
		name: 'tenantId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 909c6581-5130-43e9-88f3-fcb3582cde37',
		description: "The registrant's Microsoft Entra tenant (directory) ID",
		displayOptions: { show: { registrationMode: ['organization'] } },
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. cc515404-b55c-466e-b896-992c918ecc01',
		description: "The registrant's Microsoft Entra object ID",
		displayOptions: { show: { registrationMode: ['organization'] } },
	},
	{
		displayName: 'Tenant ID',
		name: 'tenantId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 909c6581-5130-43e9-88f3-fcb3582cde37',
		description:
			"The registrant's Microsoft Entra tenant (directory) ID; sent only if the meeting allows registrants of an organization",
		displayOptions: { show: { registrationMode: ['auto'] } },
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		placeholder: 'e.g. cc515404-b55c-466e-b896-992c918ecc01',
		description:
			"The registrant's Microsoft Entra object ID; sent only if the meeting allows registrants of an organization",
		displayOptions: { show: { registrationMode: ['auto'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'If Already Enrolled',
				name: 'ifAlreadyEnrolled',
				type: 'options',
				default: 'enrollAgain',
				options: [
					{
						name: 'Enroll Again',
						value: 'enrollAgain',
						description:
							'Send the enrollment as it is, as Microsoft Graph does not check for duplicates (the person then has two registrations)',
					},
					{
						name: 'Skip',
						value: 'skip',
						description:
							'Do not enroll; output the existing registrant with "alreadyEnrolled": true',
					},
					{
						name: 'Fail',
						value: 'error',
						description: 'Stop with an error naming the item',
					},
					{
						name: 'Replace (Fresh Link)',
						value: 'replace',
						description:
							"Remove the person's existing registrations, then enroll them again: the way to issue a fresh join link to someone whose link is lost (the old link stops working)",
					},
				],
				description:
					"What to do when the External ID is already enrolled in the meeting: before an earlier run, or by another item or execution. Skip and Fail list the meeting's registrants once per meeting per run; Replace lists them for each item.",
			},
			{
				displayName: 'Return Raw Response',
				name: 'rawResponse',
				type: 'boolean',
				default: false,
				description:
					"Whether to return Microsoft Graph's answer unchanged, OData fields included, instead of the registrant with its meeting ID",
			},
		],
	},
];

const description = updateDisplayOptions(displayOptions, properties);

function readParameters(ctx: IExecuteFunctions, itemIndex: number): EnrollParameters {
	const meeting = readLocator(ctx, 'meeting', itemIndex, 'id', meetingReferenceOf);
	const mode = readChoice(ctx, 'registrationMode', itemIndex, REGISTRATION_MODES, 'everyone');
	const externalId = readRequiredText(ctx, 'externalId', itemIndex);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const common = {
		meeting,
		mode,
		externalId,
		rawResponse: options.rawResponse === true,
		ifAlreadyEnrolled: readChoice(
			ctx,
			'options.ifAlreadyEnrolled',
			itemIndex,
			IF_ALREADY_ENROLLED,
			'enrollAgain',
		),
	};
	if (mode === 'organization') {
		return {
			...common,
			tenantId: readRequiredGuid(ctx, 'tenantId', itemIndex),
			userId: readRequiredGuid(ctx, 'userId', itemIndex),
		};
	}
	if (mode === 'auto') {
		return {
			...common,
			tenantId: readOptionalGuid(ctx, 'tenantId', itemIndex),
			userId: readOptionalGuid(ctx, 'userId', itemIndex),
		};
	}
	return common;
}

/** The registrant body as in the contract's examples; organization ids only when the meeting wants them. */
async function registrantBody(
	parameters: EnrollParameters,
	meetingId: string,
	context: OperationContext,
): Promise<IDataObject> {
	const { externalId, tenantId, userId } = parameters;
	let audience: string = parameters.mode;
	if (audience === 'auto') {
		audience = (await readRegistration(meetingId, context)).allowedRegistrant ?? 'unknown';
		if (audience !== 'everyone' && audience !== 'organization') {
			throw inputError(
				context.node,
				context.itemIndex,
				'meeting',
				`has a registration this node does not know ("allowedRegistrant": ${audience})`,
			);
		}
	}
	if (audience === 'everyone') return { '@odata.type': REGISTRANT_TYPE, id: externalId };
	for (const [field, value] of [
		['tenantId', tenantId],
		['userId', userId],
	] as const) {
		if (value === undefined) {
			throw inputError(
				context.node,
				context.itemIndex,
				field,
				'is required: the meeting allows registrants from an organization',
			);
		}
	}
	return { '@odata.type': REGISTRANT_TYPE, id: externalId, tenantId, userId };
}

async function enrollRegistrant(
	parameters: EnrollParameters,
	meetingId: string,
	context: OperationContext,
	registeredBefore: number | undefined,
): Promise<IDataObject> {
	const body = await registrantBody(parameters, meetingId, context);
	const registrant = await createRegistrantExactlyOnce(meetingId, body, context, registeredBefore);
	rememberEnrollment(context, meetingId, registrant);
	return registrant;
}

/** Why an "already enrolled" item carries no join link. */
const NO_LINK_NOTE =
	'Microsoft Graph\'s listings do not return join links, so the existing registration\'s link is not known here. To issue a fresh link, enroll this person with Options → "If Already Enrolled" → "Replace (Fresh Link)".';

type Enrollment = { registrant: IDataObject; alreadyEnrolled: boolean };

/**
 * The registrant this external id is enrolled as: enrolled by this process lately (link
 * known), found in the meeting's listing (read once per meeting per run), or enrolled now.
 * Runs while no other item or execution of this process enrolls the same person, so two at
 * the same time end with one registration.
 */
async function enrollUnlessEnrolled(
	parameters: EnrollParameters,
	meetingId: string,
	context: OperationContext,
): Promise<Enrollment> {
	const { externalId } = parameters;
	return await oneEnrollmentAtATime(context, meetingId, externalId, async () => {
		const known = enrolledByThisProcess(context, meetingId, externalId);
		if (known) return { registrant: known, alreadyEnrolled: true };
		const listed = (await listRegistrantsOnce(meetingId, context)).find(
			(candidate) => candidate.id === externalId,
		);
		if (listed) return { registrant: listed, alreadyEnrolled: true };
		try {
			return {
				registrant: await enrollRegistrant(parameters, meetingId, context, 0),
				alreadyEnrolled: false,
			};
		} catch (error) {
			// Graph may have made the registration all the same: a later item for this person
			// must not trust the listing read before it.
			forgetRegistrantsListing(meetingId, context);
			throw asNodeError(context.node, error);
		}
	});
}

/** "Replace": the person's registrations, as listed now, removed; then enrolled with a fresh link. */
async function replaceEnrollment(
	parameters: EnrollParameters,
	meetingId: string,
	context: OperationContext,
): Promise<{ registrant: IDataObject; replaced: number }> {
	const { externalId } = parameters;
	return await oneEnrollmentAtATime(context, meetingId, externalId, async () => {
		const existing = (await listRegistrants(meetingId, context)).filter(
			(candidate) => candidate.id === externalId,
		);
		for (const registration of existing)
			await removeRegistrant(meetingId, String(registration.id), context);
		return {
			registrant: await enrollRegistrant(parameters, meetingId, context, 0),
			replaced: existing.length,
		};
	});
}

function registrantOutput(
	registrant: IDataObject,
	meetingId: string,
	rawResponse: boolean,
): IDataObject {
	if (rawResponse) return registrant;
	return {
		id: registrant.id,
		joinWebUrl: registrant.joinWebUrl ?? null,
		userId: registrant.userId ?? null,
		tenantId: registrant.tenantId ?? null,
		meetingId,
	};
}

async function execute(
	parameters: EnrollParameters,
	context: OperationContext,
): Promise<IDataObject> {
	const meetingId = await resolveMeetingId(parameters.meeting, context);
	const { ifAlreadyEnrolled, externalId, rawResponse } = parameters;
	if (ifAlreadyEnrolled === 'enrollAgain') {
		const registrant = await oneEnrollmentAtATime(
			context,
			meetingId,
			externalId,
			async () => await enrollRegistrant(parameters, meetingId, context, undefined),
		);
		return registrantOutput(registrant, meetingId, rawResponse);
	}
	if (ifAlreadyEnrolled === 'replace') {
		const { registrant, replaced } = await replaceEnrollment(parameters, meetingId, context);
		return {
			...registrantOutput(registrant, meetingId, rawResponse),
			status: 'enrolled',
			replaced,
		};
	}
	const { registrant, alreadyEnrolled } = await enrollUnlessEnrolled(
		parameters,
		meetingId,
		context,
	);
	if (ifAlreadyEnrolled === 'skip') {
		const output = {
			...registrantOutput(registrant, meetingId, rawResponse),
			alreadyEnrolled,
			status: alreadyEnrolled ? 'alreadyEnrolled' : 'enrolled',
		};
		return alreadyEnrolled && !registrant.joinWebUrl ? { ...output, note: NO_LINK_NOTE } : output;
	}
	if (alreadyEnrolled) {
		throw inputError(
			context.node,
			context.itemIndex,
			'externalId',
			`is already enrolled in this meeting: "${externalId}"`,
			'Set Options → "If Already Enrolled" to "Skip" to continue with the existing registrant, or to "Replace (Fresh Link)" to issue a new link.',
		);
	}
	return registrantOutput(registrant, meetingId, rawResponse);
}

export const enroll = defineOperation<EnrollParameters>({ description, readParameters, execute });
