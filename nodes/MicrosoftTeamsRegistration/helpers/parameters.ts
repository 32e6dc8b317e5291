import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';

import { isRecord } from './data';
import { utcInstantOf } from './dates';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(text: string): boolean {
	return GUID.test(text);
}

/** A field as errors name it: a parameter (`externalId`, `options.referrer`), or a part of one (a question of `questionAnswers`). */
export type Field = string | { name: string; part: string };

/** A field's name as words, for a field the description does not name: `externalRegistrationId` → "External Registration Id". */
function wordsOf(name: string): string {
	const last = name.split('.').pop() ?? name;
	return last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (first) => first.toUpperCase());
}

/** The field's label: from `labels` (the node's description), else its name as words, never the raw name. */
function labelOf(field: Field, labels: Map<string, string>): string {
	const name = typeof field === 'string' ? field : field.name;
	const label = labels.get(name) ?? wordsOf(name);
	return typeof field === 'string' ? label : `${label} → ${field.part}`;
}

/** What an input error is about, so its message can name the field by its label later. */
const inputErrorFields = new WeakMap<
	NodeOperationError,
	{ itemIndex: number; field: Field; problem: string }
>();

function inputErrorMessage(itemIndex: number, label: string, problem: string): string {
	return `Item ${itemIndex}: "${label}" ${problem}`;
}

/**
 * Bad input, reported before any request for the item is sent. The message names the field
 * by its label in the editor once `withFieldLabels` has put it in from the node's
 * description; until then by its name as words.
 */
export function inputError(
	node: INode,
	itemIndex: number,
	field: Field,
	problem: string,
	description?: string,
): NodeOperationError {
	const error = new NodeOperationError(
		node,
		inputErrorMessage(itemIndex, labelOf(field, new Map()), problem),
		{
			itemIndex,
			description,
		},
	);
	inputErrorFields.set(error, { itemIndex, field, problem });
	return error;
}

/**
 * The editor's label of every field in `properties`, by parameter name; the options of a
 * collection as `collection.option` (as `getNodeParameter` names them).
 */
export function fieldLabelsOf(properties: INodeProperties[]): Map<string, string> {
	const labels = new Map<string, string>();
	for (const property of properties) {
		if (property.type === 'notice') continue;
		if (!labels.has(property.name)) labels.set(property.name, property.displayName);
		if (property.type !== 'collection') continue;
		for (const option of property.options ?? []) {
			if ('displayName' in option && !labels.has(`${property.name}.${option.name}`)) {
				labels.set(`${property.name}.${option.name}`, option.displayName);
			}
		}
	}
	return labels;
}

/** An input error's message with the field's label as the editor shows it. */
export function withFieldLabels<E>(error: E, labels: Map<string, string>): E {
	const about = error instanceof NodeOperationError ? inputErrorFields.get(error) : undefined;
	if (error instanceof NodeOperationError && about !== undefined) {
		error.message = inputErrorMessage(about.itemIndex, labelOf(about.field, labels), about.problem);
	}
	return error;
}

/** "Return All" / "Limit": undefined means all. */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) === true) return undefined;
	const limit = ctx.getNodeParameter('limit', itemIndex, 50) as unknown;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw inputError(
			ctx.getNode(),
			itemIndex,
			'limit',
			`must be a whole number of 1 or more, not ${JSON.stringify(limit)}`,
		);
	}
	return limit;
}

/**
 * A text parameter as the user meant it: numbers (ids from a CRM) become text, while an
 * expression that resolved to an object or array is refused rather than sent as
 * "[object Object]".
 */
export function readText(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback = '',
): string {
	const value = ctx.getNodeParameter(name, itemIndex, fallback) as unknown;
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	throw inputError(
		ctx.getNode(),
		itemIndex,
		name,
		`must be text, but its expression resolved to ${Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`}`,
		'Point the expression at a single value, for example {{ $json.email }} rather than {{ $json }}.',
	);
}

/**
 * An options parameter as one of its values. An expression can set it to anything, so the
 * value is checked like any other input, before a request is sent.
 */
export function readChoice<T extends string>(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	choices: readonly T[],
	fallback: T,
): T {
	const value = readText(ctx, name, itemIndex, fallback);
	// An expression that resolves to nothing leaves the field at its default, as before.
	if (value === '') return fallback;
	const choice = choices.find((candidate) => candidate === value);
	if (choice === undefined)
		throw inputError(
			ctx.getNode(),
			itemIndex,
			name,
			`must be one of ${choices.map((candidate) => `"${candidate}"`).join(', ')}, not "${value}"`,
		);
	return choice;
}

export function readRequiredText(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = readText(ctx, name, itemIndex);
	if (value === '') throw inputError(ctx.getNode(), itemIndex, name, 'is empty');
	return value;
}

/** A Microsoft Entra id (tenant or object id); empty gives undefined. */
export function readOptionalGuid(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
): string | undefined {
	const value = readText(ctx, name, itemIndex);
	if (value === '') return undefined;
	if (!isGuid(value)) {
		throw inputError(
			ctx.getNode(),
			itemIndex,
			name,
			`must be a GUID such as 909c6581-5130-43e9-88f3-fcb3582cde37, not "${value}"`,
		);
	}
	return value;
}

export function readRequiredGuid(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = readOptionalGuid(ctx, name, itemIndex);
	if (value === undefined) {
		throw inputError(
			ctx.getNode(),
			itemIndex,
			name,
			'is required when the meeting allows registrants from an organization',
		);
	}
	return value;
}

/** A date and time parameter as an ISO 8601 UTC instant; text without offset is read in the workflow's time zone. */
export function readDateTime(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	const reading = utcInstantOf(
		ctx.getNodeParameter(name, itemIndex, '') as unknown,
		ctx.getTimezone(),
	);
	if ('iso' in reading) return reading.iso;
	throw inputError(
		ctx.getNode(),
		itemIndex,
		name,
		reading.problem,
		"Use an ISO 8601 date and time: 2025-06-01T10:00:00 (read in the workflow's time zone) or 2025-06-01T10:00:00+02:00.",
	);
}

/** What is wrong with a parameter's value, as an input error says it. */
export type Problem = { problem: string; description?: string };

/** A resource locator's mode and text, or what is wrong with it. */
export type LocatorReading = { mode: string; text: string } | Problem;

/**
 * The one reader of resource locators: the mode and trimmed text of a locator parameter's
 * value. An expression over the whole field gives a plain value, taken in `plainMode`.
 * Refuses objects, empty text and the path segments `.` and `..` (never an id).
 */
export function locatorOf(parameter: unknown, plainMode: string): LocatorReading {
	const mode =
		isRecord(parameter) && typeof parameter.mode === 'string' ? parameter.mode : plainMode;
	const value = isRecord(parameter) ? parameter.value : parameter;
	if (value !== null && typeof value === 'object') {
		return { problem: 'must be text, but its expression resolved to an object or array' };
	}
	const text = String(value ?? '').trim();
	if (text === '') return { problem: 'is empty' };
	return { mode, text };
}

/** A resource locator parameter of one item, checked by `check` (mode and text to a value, or a problem); sends nothing. */
export function readLocator<T>(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	plainMode: string,
	check: (reading: { mode: string; text: string }) => T | Problem,
): T {
	const reading = locatorOf(ctx.getNodeParameter(name, itemIndex) as unknown, plainMode);
	const checked = 'problem' in reading ? reading : check(reading);
	if (isProblem(checked))
		throw inputError(ctx.getNode(), itemIndex, name, checked.problem, checked.description);
	return checked;
}

function isProblem(value: unknown): value is Problem {
	return isRecord(value) && typeof value.problem === 'string';
}

/** `.` and `..` are no ids: URL normalisation would resolve them away. */
export function isDotSegment(text: string): boolean {
	return text === '.' || text === '..';
}
