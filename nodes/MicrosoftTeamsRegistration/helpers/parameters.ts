import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INode } from 'n8n-workflow';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(text: string): boolean {
	return GUID.test(text);
}

/** Labels as shown in the editor; errors must name the field the user sees. */
export const PARAMETER_LABELS: Record<string, string> = {
	meeting: 'Meeting',
	externalId: 'External ID',
	tenantId: 'Tenant ID',
	userId: 'User ID',
	organizer: 'Organizer',
	subject: 'Subject',
	startDateTime: 'Start',
	endDateTime: 'End',
	registrant: 'Registrant',
	limit: 'Limit',
	webinar: 'Webinar',
	firstName: 'First Name',
	lastName: 'Last Name',
	email: 'Email',
	preferredTimezone: 'Preferred Time Zone',
	preferredLanguage: 'Preferred Language',
	questionAnswers: 'Registration Questions',
	externalRegistrationId: 'External Registration ID',
	'options.referrer': 'Referrer',
	registration: 'Registration',
};

/** "Return All" / "Limit": undefined means all. */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) === true) return undefined;
	const limit = ctx.getNodeParameter('limit', itemIndex, 50) as unknown;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw inputError(ctx.getNode(), itemIndex, 'limit', `must be a whole number of 1 or more, not ${JSON.stringify(limit)}`);
	}
	return limit;
}

/** Bad input, reported before any request for the item is sent. */
export function inputError(node: INode, itemIndex: number, field: string, problem: string, description?: string) {
	return new NodeOperationError(node, `Item ${itemIndex}: "${PARAMETER_LABELS[field] ?? field}" ${problem}`, {
		itemIndex,
		description,
	});
}

/**
 * A text parameter as the user meant it: numbers (ids from a CRM) become text, while an
 * expression that resolved to an object or array is refused rather than sent as
 * "[object Object]".
 */
export function readText(ctx: IExecuteFunctions, name: string, itemIndex: number, fallback = ''): string {
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

export function readRequiredText(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = readText(ctx, name, itemIndex);
	if (value === '') throw inputError(ctx.getNode(), itemIndex, name, 'is empty');
	return value;
}

/** A Microsoft Entra id (tenant or object id); empty gives undefined. */
export function readOptionalGuid(ctx: IExecuteFunctions, name: string, itemIndex: number): string | undefined {
	const value = readText(ctx, name, itemIndex);
	if (value === '') return undefined;
	if (!GUID.test(value)) {
		throw inputError(ctx.getNode(), itemIndex, name, `must be a GUID such as 909c6581-5130-43e9-88f3-fcb3582cde37, not "${value}"`);
	}
	return value;
}

export function readRequiredGuid(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = readOptionalGuid(ctx, name, itemIndex);
	if (value === undefined) throw inputError(ctx.getNode(), itemIndex, name, 'is required when the meeting allows registrants from an organization');
	return value;
}

/** A date and time with its UTC offset (`Z` or `±hh:mm`), as Graph and Luxon's `toISO()` write it. */
const OFFSET_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
/** A wall-clock date and time without offset, as n8n's date picker writes it; the time may be left out. */
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/** How far the wall clock of `timeZone` is ahead of UTC at the instant `utcMs`. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
	const format = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric',
	});
	const part = Object.fromEntries(format.formatToParts(new Date(utcMs)).map(({ type, value }) => [type, Number(value)]));
	const wallClockAsUtc = Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute, part.second);
	return wallClockAsUtc - (utcMs - (utcMs % 1000));
}

/** The instant at which `timeZone`'s clock shows `wallClockMs` (given as if it were UTC). */
function wallClockToUtc(wallClockMs: number, timeZone: string): number {
	// The offset at the wall-clock time itself can be off by the DST shift; asking again at the first guess corrects it.
	const firstGuess = wallClockMs - zoneOffsetMs(wallClockMs, timeZone);
	return wallClockMs - zoneOffsetMs(firstGuess, timeZone);
}

/**
 * A date and time parameter as an ISO 8601 UTC instant. A value without offset (what n8n's
 * date picker produces) is read in the workflow's time zone, as n8n's own nodes do;
 * Luxon DateTimes and Dates from expressions are taken as they are.
 */
export function readDateTime(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	const refuse = (problem: string) =>
		inputError(
			ctx.getNode(),
			itemIndex,
			name,
			problem,
			'Use an ISO 8601 date and time: 2025-06-01T10:00:00 (read in the workflow\'s time zone) or 2025-06-01T10:00:00+02:00.',
		);
	let text: string;
	if (value instanceof Date) text = value.toISOString();
	else if (typeof value === 'object' && value !== null && typeof (value as { toISO?: unknown }).toISO === 'function') {
		text = String((value as { toISO: () => string | null }).toISO());
	} else if (typeof value === 'string') text = value.trim();
	else if (value === null || value === undefined) text = '';
	else throw refuse(`must be a date and time, but its expression resolved to ${Array.isArray(value) ? 'an array' : `a ${typeof value}`}`);
	if (text === '') throw refuse('is empty');

	let instant = Number.NaN;
	if (OFFSET_DATE_TIME.test(text)) instant = Date.parse(text);
	const local = LOCAL_DATE_TIME.exec(text);
	if (local) {
		const [year, month, day, hour, minute, second] = local.slice(1, 7).map((part) => Number(part ?? 0));
		const milliseconds = Number((local[7] ?? '').padEnd(3, '0'));
		const wallClock = Date.UTC(year, month - 1, day, hour, minute, second, milliseconds);
		const roundTrip = new Date(wallClock);
		// Date.UTC rolls 2025-02-30 over into March; a date that does not exist is refused instead.
		if (roundTrip.getUTCDate() === day && roundTrip.getUTCMonth() === month - 1 && hour < 24 && minute < 60 && second < 60) {
			instant = wallClockToUtc(wallClock, ctx.getTimezone());
		}
	}
	if (Number.isNaN(instant)) throw refuse(`is not a date and time: "${text}"`);
	return new Date(instant).toISOString();
}
