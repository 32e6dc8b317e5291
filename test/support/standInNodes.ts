/**
 * Stand-ins for the n8n-nodes-base nodes the example workflows use, registered under n8n's
 * real type names so the committed examples run unchanged. n8n-nodes-base is not a
 * dependency of this package. Nodes that talk to systems outside it are replaced by the
 * smallest thing that lets the workflow run: triggers emit given items, Send Email records
 * what it would send and passes its items on, the CRM search emits given rows. The
 * comparison node (Compare Datasets) is a faithful model of the part of n8n's behaviour the
 * examples use, and refuses settings it does not model.
 *
 * The real nodes are exercised by the end-to-end tests, which import the examples into a
 * real n8n 1.x and 2.x (`npm run test:e2e`).
 */
import { isDeepStrictEqual } from 'node:util';

import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';

/**
 * n8n keeps only the parameters a node type declares (with their defaults), so each
 * stand-in declares the ones it reads, with n8n's names, types and defaults.
 */
function describeNode(
	name: string,
	displayName: string,
	version: number[],
	inputs: number,
	outputs: number,
	properties: INodeProperties[] = [],
): INodeType['description'] {
	return {
		displayName: `${displayName} (stand-in)`,
		name,
		group: inputs === 0 ? ['trigger'] : ['transform'],
		version,
		description: `Test stand-in for n8n-nodes-base.${name}`,
		defaults: { name: displayName },
		inputs: Array(inputs).fill(NodeConnectionTypes.Main),
		outputs: Array(outputs).fill(NodeConnectionTypes.Main),
		properties,
	};
}

/** A trigger that, in a manual run, emits these items (as the harness's manual trigger does). */
function emittingTrigger(
	name: string,
	displayName: string,
	version: number[],
	items: IDataObject[],
): INodeType {
	return {
		description: describeNode(name, displayName, version, 0, 1),
		async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
			const emitted = items.map((json) => ({ json: structuredClone(json) }));
			return { manualTriggerFunction: async () => this.emit([emitted]) };
		},
	};
}

/** `n8n-nodes-base.formTrigger`: emits the given submissions (fields keyed by label, as v2.2 does). */
export function formTrigger(submissions: IDataObject[]): INodeType {
	return emittingTrigger('formTrigger', 'On form submission', [2, 2.1, 2.2, 2.3], submissions);
}

/** `n8n-nodes-base.scheduleTrigger`: emits one item per run, like a schedule firing. */
export function scheduleTrigger(firedAt = '2031-06-01T09:00:00.000+02:00'): INodeType {
	return emittingTrigger(
		'scheduleTrigger',
		'Schedule Trigger',
		[1, 1.1, 1.2],
		[{ timestamp: firedAt }],
	);
}

export interface SentEmail {
	fromEmail: string;
	toEmail: string;
	subject: string;
	text: string;
	/** The input item's index the email was built from. */
	itemIndex: number;
}

/** `n8n-nodes-base.emailSend` (text format): records each email it would send and passes its items on. */
export function emailSend(outbox: SentEmail[]): INodeType {
	return {
		description: describeNode('emailSend', 'Send Email', [2, 2.1], 1, 1, [
			{ displayName: 'From Email', name: 'fromEmail', type: 'string', default: '' },
			{ displayName: 'To Email', name: 'toEmail', type: 'string', default: '' },
			{ displayName: 'Subject', name: 'subject', type: 'string', default: '' },
			{
				displayName: 'Email Format',
				name: 'emailFormat',
				type: 'options',
				options: [
					{ name: 'Text', value: 'text' },
					{ name: 'HTML', value: 'html' },
					{ name: 'Both', value: 'both' },
				],
				default: 'html',
			},
			{
				displayName: 'Text',
				name: 'text',
				type: 'string',
				default: '',
				displayOptions: { show: { emailFormat: ['text', 'both'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				default: {},
				options: [
					{
						displayName: 'Append n8n Attribution',
						name: 'appendAttribution',
						type: 'boolean',
						default: true,
					},
				],
			},
		]),
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const items = this.getInputData();
			items.forEach((_, itemIndex) => {
				if (this.getNodeParameter('emailFormat', itemIndex) !== 'text')
					throw new Error('The stand-in models emailFormat "text" only');
				outbox.push({
					fromEmail: this.getNodeParameter('fromEmail', itemIndex) as string,
					toEmail: this.getNodeParameter('toEmail', itemIndex) as string,
					subject: this.getNodeParameter('subject', itemIndex) as string,
					text: this.getNodeParameter('text', itemIndex) as string,
					itemIndex,
				});
			});
			return [
				items.map((item, itemIndex) => ({ json: item.json, pairedItem: { item: itemIndex } })),
			];
		},
	};
}

/** The HubSpot node's Authentication, Resource (Contact) and Operation fields, with one operation. */
function hubspotContactFields(operation: { name: string; value: string }): INodeProperties[] {
	return [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{ name: 'API Key', value: 'apiKey' },
				{ name: 'Service Key', value: 'appToken' },
				{ name: 'OAuth2', value: 'oAuth2' },
			],
			default: 'apiKey',
		},
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			options: [{ name: 'Contact', value: 'contact' }],
			default: 'contact',
		},
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			options: [operation],
			default: 'upsert',
		},
	];
}

/**
 * `n8n-nodes-base.hubspot` contact search: emits the given rows (shaped like HubSpot's
 * search results) once per input item, and records the filter groups it was asked for.
 */
export function hubspotContactSearch(rows: IDataObject[], searches: IDataObject[]): INodeType {
	return {
		description: describeNode('hubspot', 'HubSpot', [2, 2.1, 2.2], 1, 1, [
			...hubspotContactFields({ name: 'Search', value: 'search' }),
			{ displayName: 'Return All', name: 'returnAll', type: 'boolean', default: false },
			{
				displayName: 'Filter Groups',
				name: 'filterGroupsUi',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				options: [
					{
						name: 'filterGroupsValues',
						displayName: 'Filter Group',
						values: [
							{
								displayName: 'Filters',
								name: 'filtersUi',
								type: 'fixedCollection',
								typeOptions: { multipleValues: true },
								default: {},
								options: [
									{
										name: 'filterValues',
										displayName: 'Filter',
										values: [
											{
												displayName: 'Property Name or ID',
												name: 'propertyName',
												type: 'string',
												default: '',
											},
											{ displayName: 'Operator', name: 'operator', type: 'string', default: 'EQ' },
											{ displayName: 'Value', name: 'value', type: 'string', default: '' },
										],
									},
								],
							},
						],
					},
				],
			},
			{
				displayName: 'Options',
				name: 'additionalFields',
				type: 'collection',
				default: {},
				options: [
					{
						displayName: 'Field Names or IDs',
						name: 'properties',
						type: 'multiOptions',
						options: [],
						default: ['firstname', 'lastname', 'email'],
					},
				],
			},
		]),
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return [
				this.getInputData().flatMap((_, itemIndex) => {
					if (
						this.getNodeParameter('resource', itemIndex) !== 'contact' ||
						this.getNodeParameter('operation', itemIndex) !== 'search'
					) {
						throw new Error('The stand-in models contact search only');
					}
					searches.push({
						filterGroupsUi: this.getNodeParameter('filterGroupsUi', itemIndex) as IDataObject,
						additionalFields: this.getNodeParameter('additionalFields', itemIndex) as IDataObject,
					});
					return rows.map((json) => ({
						json: structuredClone(json),
						pairedItem: { item: itemIndex },
					}));
				}),
			];
		},
	};
}

export interface CrmUpsert {
	email: string;
	/** The body's `properties`, as n8n's HubSpot node builds it (first name, last name, then custom properties). */
	properties: Array<{ property: string; value: string }>;
	/** The input item's index the request was built from. */
	itemIndex: number;
}

/**
 * `n8n-nodes-base.hubspot` contact Create or Update (`upsert`) with Simplify Output on, for the
 * contact properties the examples set (First Name, Last Name, Custom Properties): records the
 * request n8n's node sends (`POST /contacts/v1/contact/createOrUpdate/email/{email}`, body
 * `{ properties }`) and outputs HubSpot's answer `{ vid, isNew }`, the contact being one of
 * `contacts` (by email) or a new one numbered after them. Refuses settings it does not model.
 */
export function hubspotContactUpsert(
	contacts: Array<{ vid: number; email: string }>,
	upserts: CrmUpsert[],
): INodeType {
	return {
		description: describeNode('hubspot', 'HubSpot', [2, 2.1, 2.2], 1, 1, [
			...hubspotContactFields({ name: 'Create or Update', value: 'upsert' }),
			{ displayName: 'Email', name: 'email', type: 'string', default: '' },
			{
				displayName: 'Contact Properties',
				name: 'additionalFields',
				type: 'collection',
				default: {},
				options: [
					{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
					{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
					{
						displayName: 'Custom Properties',
						name: 'customPropertiesUi',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						default: {},
						options: [
							{
								name: 'customPropertiesValues',
								displayName: 'Custom Property',
								values: [
									{
										displayName: 'Property Name or ID',
										name: 'property',
										type: 'string',
										default: '',
									},
									{ displayName: 'Value', name: 'value', type: 'string', default: '' },
								],
							},
						],
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				default: {},
				options: [
					{ displayName: 'Simplify Output', name: 'resolveData', type: 'boolean', default: false },
				],
			},
		]),
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			let nextVid = Math.max(500, ...contacts.map((contact) => contact.vid)) + 1;
			return [
				this.getInputData().map((_, itemIndex) => {
					if (
						this.getNodeParameter('resource', itemIndex) !== 'contact' ||
						this.getNodeParameter('operation', itemIndex) !== 'upsert'
					)
						throw new Error('The stand-in models contact create-or-update only');
					const fields = this.getNodeParameter('additionalFields', itemIndex) as IDataObject;
					const unmodelled = Object.keys(fields).filter(
						(name) => !['firstName', 'lastName', 'customPropertiesUi'].includes(name),
					);
					if (unmodelled.length)
						throw new Error(`The stand-in does not model ${unmodelled.join(', ')}`);
					if ((this.getNodeParameter('options', itemIndex) as IDataObject).resolveData !== true)
						throw new Error('The stand-in models Simplify Output on only');
					const properties: CrmUpsert['properties'] = [];
					if (fields.firstName)
						properties.push({ property: 'firstname', value: String(fields.firstName) });
					if (fields.lastName)
						properties.push({ property: 'lastname', value: String(fields.lastName) });
					const custom = ((fields.customPropertiesUi as IDataObject | undefined)
						?.customPropertiesValues ?? []) as Array<{ property: string; value: string }>;
					for (const { property, value } of custom) properties.push({ property, value });
					const email = this.getNodeParameter('email', itemIndex) as string;
					upserts.push({ email, properties, itemIndex });
					let contact = contacts.find((candidate) => candidate.email === email);
					const isNew = contact === undefined;
					if (contact === undefined) {
						contact = { vid: nextVid++, email };
						contacts.push(contact);
					}
					return { json: { vid: contact.vid, isNew }, pairedItem: { item: itemIndex } };
				}),
			];
		},
	};
}

interface FilterCondition {
	leftValue: unknown;
	operator: { type: string; operation: string };
}

/**
 * `n8n-nodes-base.filter` version 2.2 and later, for conditions "is true" on booleans (what the
 * examples use), combined with AND: items whose every condition holds go on (Kept), the others
 * nowhere. n8n evaluates each condition's expression per item; so does this stand-in.
 * Refuses any other operator or combinator.
 */
export const filterNode: INodeType = {
	description: describeNode('filter', 'Filter', [2.2, 2.3], 1, 1, [
		{ displayName: 'Conditions', name: 'conditions', type: 'filter', default: {} },
		{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [] },
	]),
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const kept: INodeExecutionData[] = [];
		this.getInputData().forEach((item, itemIndex) => {
			const { conditions, combinator } = this.getNodeParameter('conditions', itemIndex) as {
				conditions: FilterCondition[];
				combinator: string;
			};
			if (combinator !== 'and') throw new Error('The stand-in models the AND combinator only');
			const holds = conditions.every(({ leftValue, operator }) => {
				if (operator.type !== 'boolean' || operator.operation !== 'true')
					throw new Error('The stand-in models boolean "is true" conditions only');
				if (typeof leftValue !== 'boolean')
					throw new Error(`Wrong type: '${String(leftValue)}' is not a boolean`);
				return leftValue;
			});
			if (holds) kept.push({ json: item.json, pairedItem: { item: itemIndex } });
		});
		return [kept];
	},
};

/** lodash `get` for the dotted paths Compare Datasets accepts when dot notation is on. */
function valueAt(json: IDataObject, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>(
			(value, key) =>
				value !== null && typeof value === 'object' ? (value as IDataObject)[key] : undefined,
			json,
		);
}

/**
 * `n8n-nodes-base.compareDatasets` version 2.2 and later, as n8n's GenericFunctions.findMatches
 * does it for: fields to match (dot notation on), exact comparison (no fuzzy compare), the
 * first match only, and "Use Input A/B Version" for differing pairs. Items are passed on as
 * they came in. Outputs: In A only, Same, Different, In B only.
 */
export const compareDatasets: INodeType = {
	description: describeNode('compareDatasets', 'Compare Datasets', [2.2, 2.3], 2, 4, [
		{
			displayName: 'Fields to Match',
			name: 'mergeByFields',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: { values: [{ field1: '', field2: '' }] },
			options: [
				{
					displayName: 'Values',
					name: 'values',
					values: [
						{ displayName: 'Input A Field', name: 'field1', type: 'string', default: '' },
						{ displayName: 'Input B Field', name: 'field2', type: 'string', default: '' },
					],
				},
			],
		},
		{
			displayName: 'When There Are Differences',
			name: 'resolve',
			type: 'options',
			options: ['preferInput1', 'preferInput2', 'mix', 'includeBoth'].map((value) => ({
				name: value,
				value,
			})),
			default: 'includeBoth',
		},
		{ displayName: 'Fuzzy Compare', name: 'fuzzyCompare', type: 'boolean', default: false },
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			default: {},
			options: [
				{
					displayName: 'Fields to Skip Comparing',
					name: 'skipFields',
					type: 'string',
					default: '',
				},
			],
		},
	]),
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const fields = this.getNodeParameter('mergeByFields.values', 0, []) as Array<{
			field1: string;
			field2: string;
		}>;
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const resolve = this.getNodeParameter('resolve', 0) as string;
		if (fields.length === 0 || fields.some(({ field1, field2 }) => !field1 || !field2))
			throw new Error('Fields to Match are incomplete');
		if (
			this.getNodeParameter('fuzzyCompare', 0, false) !== false ||
			Object.keys(options).length > 0 ||
			!['preferInput1', 'preferInput2'].includes(resolve)
		) {
			throw new Error(
				'The stand-in models exact comparison, no options, and "Use Input A/B Version" only',
			);
		}
		// n8n drops empty items from both inputs (checkInput)
		const nonEmpty = (items: INodeExecutionData[]) =>
			items.filter((item) => Object.keys(item.json).length > 0);
		const inputA = nonEmpty(this.getInputData(0));
		const inputB = nonEmpty(this.getInputData(1));

		const inAOnly: INodeExecutionData[] = [];
		const same: INodeExecutionData[] = [];
		const different: INodeExecutionData[] = [];
		const matchedInB = new Set<number>();
		for (const entry of inputA) {
			const keys = fields.map(({ field1, field2 }) => ({
				field2,
				value: valueAt(entry.json, field1),
			}));
			if (keys.some(({ value }) => value === undefined)) {
				inAOnly.push(entry);
				continue;
			}
			const index = inputB.findIndex((candidate) =>
				keys.every(({ field2, value }) =>
					isDeepStrictEqual(valueAt(candidate.json, field2), value),
				),
			);
			if (index < 0) {
				inAOnly.push(entry);
				continue;
			}
			matchedInB.add(index);
			const match = inputB[index];
			if (isDeepStrictEqual(entry.json, match.json)) same.push(entry);
			else different.push(resolve === 'preferInput1' ? entry : match);
		}
		const inBOnly = inputB.filter((_, index) => !matchedInB.has(index));
		return [inAOnly, same, different, inBOnly];
	},
};
