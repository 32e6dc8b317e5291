import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readAuthentication } from '../../descriptions/authentication.description';
import { eventTypeField, readEvent, webinarLocator } from '../../descriptions/webinar.description';
import { isRecord } from '../../helpers/data';
import { inputError, readRequiredText, readText } from '../../helpers/parameters';
import {
	createRegistration,
	isEmailAddress,
	listQuestionsOnce,
	registrationOutput,
} from '../../graph/webinars';
import { VIRTUAL_EVENT_LABELS } from '../../graph/virtualEvents';
import type { VirtualEvent } from '../../graph/virtualEvents';
import { defineOperation } from '../operation';
import type { OperationContext } from '../operation';
import { answersFor, questionsFromGraph, questionsFromMapperSchema } from './registrationQuestions';

const MAX_EXTERNAL_REGISTRATION_ID_LENGTH = 256;
/**
 * Registrations wait in the webinar-write lane (Graph's 15 per 30 s), with many items in
 * flight: an app-only registration waits for a listing after Graph's 204, and the more
 * registrations wait at once, the more of them one listing finds.
 */
const REGISTER_DELIVERY = { maxConcurrency: 128 };

export interface RegisterParameters {
	event: VirtualEvent;
	/** App-only: who is registered. Delegated registrations are the signed-in user's own. */
	attendee?: { firstName: string; lastName: string; email: string };
	preferredTimezone: string;
	preferredLanguage: string;
	/** The mapped answers by question id, as given (checked again against the webinar's questions when sent). */
	answers: IDataObject;
	externalRegistrationInformation?: { registrationId?: string; referrer?: string };
}

const displayOptions = { show: { resource: ['webinarRegistration'], operation: ['register'] } };

const properties: INodeProperties[] = [
	eventTypeField,
	{
		...webinarLocator,
		description: 'The Teams webinar or town hall to register the person for; it must be published',
	},
	{
		displayName:
			'With OAuth2 (delegated) Microsoft Graph registers the signed-in account itself. To register other people (from a form, a CRM, a sheet), use Authentication "App-Only".',
		name: 'delegatedRegistrationNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: ['oAuth2'] } },
	},
	{
		displayName: 'First Name',
		name: 'firstName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.firstName }}',
		description: "The registrant's first name",
		displayOptions: { show: { authentication: ['appOnly'] } },
	},
	{
		displayName: 'Last Name',
		name: 'lastName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.lastName }}',
		description: "The registrant's last name",
		displayOptions: { show: { authentication: ['appOnly'] } },
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		required: true,
		description:
			"The registrant's email address; Teams sends the registration confirmation and join link there",
		displayOptions: { show: { authentication: ['appOnly'] } },
	},
	{
		displayName: 'Preferred Time Zone',
		name: 'preferredTimezone',
		type: 'string',
		default: 'UTC',
		required: true,
		placeholder: 'e.g. Pacific Standard Time',
		description: 'The registrant\'s time zone, e.g. "Pacific Standard Time" or "UTC"',
	},
	{
		displayName: 'Preferred Language',
		name: 'preferredLanguage',
		type: 'string',
		default: 'en-us',
		required: true,
		placeholder: 'e.g. en-us',
		description: 'The registrant\'s language, e.g. "en-us" or "de-de"',
	},
	{
		displayName: 'Registration Questions',
		name: 'questionAnswers',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		description: "Answers to the event's registration questions, by question",
		typeOptions: {
			loadOptionsDependsOn: ['eventType', 'webinar.value', 'authentication', 'organizer'],
			resourceMapper: {
				resourceMapperMethod: 'getRegistrationQuestions',
				mode: 'add',
				fieldWords: { singular: 'question', plural: 'questions' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: false,
				noFieldsError: 'This event asks no registration questions.',
			},
		},
	},
	{
		displayName: 'External Registration ID',
		name: 'externalRegistrationId',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.crmContactId }}',
		description:
			'The person\'s ID in your system (form, CRM, sheet), at most 256 characters; Graph keeps it with the registration ("externalRegistrationInformation.registrationId")',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Referrer',
				name: 'referrer',
				type: 'string',
				default: '',
				placeholder: 'e.g. newsletter',
				description:
					'Where the registration came from ("externalRegistrationInformation.referrer")',
			},
		],
	},
];

const description = updateDisplayOptions(displayOptions, properties);

function readParameters(ctx: IExecuteFunctions, itemIndex: number): RegisterParameters {
	const node = ctx.getNode();
	const event = readEvent(ctx, itemIndex);
	let attendee: RegisterParameters['attendee'];
	if (readAuthentication(ctx) === 'appOnly') {
		const email = readRequiredText(ctx, 'email', itemIndex);
		if (!isEmailAddress(email))
			throw inputError(node, itemIndex, 'email', `is not an email address: "${email}"`);
		attendee = {
			firstName: readRequiredText(ctx, 'firstName', itemIndex),
			lastName: readRequiredText(ctx, 'lastName', itemIndex),
			email,
		};
	}
	const mapping = ctx.getNodeParameter('questionAnswers', itemIndex, {}) as IDataObject;
	const answers = isRecord(mapping.value) ? mapping.value : {};
	// The questions saved with the mapping let every item's answers be checked before the first
	// request; without them (a mapping never loaded) the check waits for the webinar's own list.
	const savedQuestions = questionsFromMapperSchema(mapping.schema);
	if (savedQuestions.length > 0)
		answersFor(savedQuestions, answers, node, itemIndex, VIRTUAL_EVENT_LABELS[event.kind]);

	const registrationId = readText(ctx, 'externalRegistrationId', itemIndex);
	if (registrationId.length > MAX_EXTERNAL_REGISTRATION_ID_LENGTH) {
		throw inputError(
			node,
			itemIndex,
			'externalRegistrationId',
			`is ${registrationId.length} characters long; Microsoft Graph takes at most ${MAX_EXTERNAL_REGISTRATION_ID_LENGTH}`,
		);
	}
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const referrer = 'referrer' in options ? readText(ctx, 'options.referrer', itemIndex) : '';
	const external = {
		...(registrationId !== '' ? { registrationId } : {}),
		...(referrer !== '' ? { referrer } : {}),
	};
	return {
		event,
		attendee,
		preferredTimezone: readRequiredText(ctx, 'preferredTimezone', itemIndex),
		preferredLanguage: readRequiredText(ctx, 'preferredLanguage', itemIndex),
		answers,
		externalRegistrationInformation: Object.keys(external).length > 0 ? external : undefined,
	};
}

/** The body as Microsoft documents it for the credential's permission kind. */
function registrationBody(
	parameters: RegisterParameters,
	registrationQuestionAnswers: IDataObject[],
): IDataObject {
	const { attendee, preferredTimezone, preferredLanguage, externalRegistrationInformation } =
		parameters;
	return {
		...(attendee ?? {}),
		preferredTimezone,
		preferredLanguage,
		...(registrationQuestionAnswers.length > 0 ? { registrationQuestionAnswers } : {}),
		...(externalRegistrationInformation ? { externalRegistrationInformation } : {}),
	};
}

async function execute(
	parameters: RegisterParameters,
	context: OperationContext,
): Promise<IDataObject> {
	const { event, attendee } = parameters;
	const questions = questionsFromGraph(await listQuestionsOnce(event, context));
	const body = registrationBody(
		parameters,
		answersFor(
			questions,
			parameters.answers,
			context.node,
			context.itemIndex,
			VIRTUAL_EVENT_LABELS[event.kind],
		),
	);
	return registrationOutput(await createRegistration(event, body, attendee?.email, context), event);
}

export const register = defineOperation<RegisterParameters>({
	description,
	readParameters,
	delivery: REGISTER_DELIVERY,
	execute,
});
