/**
 * Reading parameters: the resource-locator reader and the field labels of input errors.
 */
import type { INode, INodeProperties } from 'n8n-workflow';

import { fieldLabelsOf, inputError, locatorOf, withFieldLabels } from './parameters';

const node: INode = {
	id: '1',
	name: 'Teams',
	type: 'n8n-nodes-teams-meeting-registration.microsoftTeamsRegistration',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

test('a locator gives its mode and trimmed text; a plain value (an expression over the field) takes the plain mode', () => {
	expect(locatorOf({ __rl: true, mode: 'url', value: '  https://x  ' }, 'id')).toEqual({
		mode: 'url',
		text: 'https://x',
	});
	expect(locatorOf('abc', 'externalId')).toEqual({ mode: 'externalId', text: 'abc' });
	expect(locatorOf(42, 'id')).toEqual({ mode: 'id', text: '42' });
	expect(locatorOf({ value: 'abc' }, 'email')).toEqual({ mode: 'email', text: 'abc' });
});

test('a locator that is empty or resolved to an object says so', () => {
	expect(locatorOf({ mode: 'id', value: '   ' }, 'id')).toEqual({ problem: 'is empty' });
	expect(locatorOf(undefined, 'id')).toEqual({ problem: 'is empty' });
	expect(locatorOf({ mode: 'id', value: { id: 1 } }, 'id')).toEqual({
		problem: 'must be text, but its expression resolved to an object or array',
	});
	expect(locatorOf({ mode: 'id', value: ['a'] }, 'id')).toEqual({
		problem: 'must be text, but its expression resolved to an object or array',
	});
});

const properties: INodeProperties[] = [
	{ displayName: 'External ID', name: 'externalId', type: 'string', default: '' },
	{ displayName: 'A notice', name: 'notice', type: 'notice', default: '' },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		default: {},
		options: [{ displayName: 'Referrer', name: 'referrer', type: 'string', default: '' }],
	},
];

test('labels come from the description, collection options as collection.option', () => {
	expect([...fieldLabelsOf(properties)]).toEqual([
		['externalId', 'External ID'],
		['options', 'Options'],
		['options.referrer', 'Referrer'],
	]);
});

test('an input error names the field by its label; a field the description lacks by its name as words', () => {
	const labels = fieldLabelsOf(properties);
	expect(withFieldLabels(inputError(node, 2, 'externalId', 'is empty'), labels).message).toBe(
		'Item 2: "External ID" is empty',
	);
	expect(withFieldLabels(inputError(node, 0, 'options.referrer', 'is empty'), labels).message).toBe(
		'Item 0: "Referrer" is empty',
	);
	expect(
		withFieldLabels(inputError(node, 0, 'externalRegistrationId', 'is too long'), labels).message,
	).toBe('Item 0: "External Registration Id" is too long');
	expect(
		withFieldLabels(
			inputError(node, 1, { name: 'externalId', part: 'Job title' }, 'is required'),
			labels,
		).message,
	).toBe('Item 1: "External ID → Job title" is required');
	const error = inputError(node, 3, 'externalId', 'is empty', 'Fill it in.');
	expect(error).toMatchObject({ name: 'NodeOperationError', description: 'Fill it in.' });
	const other = new Error('not an input error');
	expect(withFieldLabels(other, labels).message).toBe('not an input error');
});
