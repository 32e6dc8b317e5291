/**
 * Date and time parameters as Graph wants them: ISO 8601 instants in UTC. Pure: the time
 * zone comes from the caller (the workflow's), nothing reads the clock.
 */

/** A date and time with its UTC offset (`Z` or `±hh:mm`), as Graph and Luxon's `toISO()` write it. */
const OFFSET_DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(?:Z|[+-](\d{2}):(\d{2}))$/i;
/** A wall-clock date and time without offset, as n8n's date picker writes it; the time may be left out. */
const LOCAL_DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

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
	const part = Object.fromEntries(
		format.formatToParts(new Date(utcMs)).map(({ type, value }) => [type, Number(value)]),
	);
	const wallClockAsUtc = Date.UTC(
		part.year,
		part.month - 1,
		part.day,
		part.hour,
		part.minute,
		part.second,
	);
	return wallClockAsUtc - (utcMs - (utcMs % 1000));
}

/** The instant at which `timeZone`'s clock shows `wallClockMs` (given as if it were UTC). */
function wallClockToUtc(wallClockMs: number, timeZone: string): number {
	// The offset at the wall-clock time itself can be off by the DST shift; asking again at the first guess corrects it.
	const firstGuess = wallClockMs - zoneOffsetMs(wallClockMs, timeZone);
	return wallClockMs - zoneOffsetMs(firstGuess, timeZone);
}

/**
 * The date and time of a match (groups 1-7: year, month, day, hour, minute, second, the
 * first three digits of its fraction) as milliseconds as if it were UTC, or undefined when
 * no such date or time exists: Date.UTC would roll 2025-02-30 over into March.
 */
function wallClockOf(fields: RegExpExecArray): number | undefined {
	const [year, month, day, hour, minute, second] = fields
		.slice(1, 7)
		.map((part) => Number(part ?? 0));
	const milliseconds = Number((fields[7] ?? '').padEnd(3, '0'));
	const wallClock = Date.UTC(year, month - 1, day, hour, minute, second, milliseconds);
	const roundTrip = new Date(wallClock);
	return roundTrip.getUTCDate() === day &&
		roundTrip.getUTCMonth() === month - 1 &&
		hour < 24 &&
		minute < 60 &&
		second < 60
		? wallClock
		: undefined;
}

/** A date and time, or what is wrong with it. */
export type DateTimeReading = { iso: string } | { problem: string };

/**
 * A parameter's value as an ISO 8601 UTC instant. Text without offset (what n8n's date
 * picker produces) is read in `timeZone`, as n8n's own nodes do; Luxon DateTimes and Dates
 * from expressions are taken as they are. A date that does not exist (2025-02-30) is refused.
 */
export function utcInstantOf(value: unknown, timeZone: string): DateTimeReading {
	let text: string;
	if (value instanceof Date) text = value.toISOString();
	else if (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { toISO?: unknown }).toISO === 'function'
	) {
		text = String((value as { toISO: () => string | null }).toISO());
	} else if (typeof value === 'string') text = value.trim();
	else if (value === null || value === undefined) text = '';
	else {
		return {
			problem: `must be a date and time, but its expression resolved to ${Array.isArray(value) ? 'an array' : `a ${typeof value}`}`,
		};
	}
	if (text === '') return { problem: 'is empty' };

	let instant: number | undefined;
	const withOffset = OFFSET_DATE_TIME.exec(text);
	if (withOffset && wallClockOf(withOffset) !== undefined) {
		const [offsetHours, offsetMinutes] = [Number(withOffset[8] ?? 0), Number(withOffset[9] ?? 0)];
		if (offsetHours < 24 && offsetMinutes < 60) instant = Date.parse(text);
	}
	const local = LOCAL_DATE_TIME.exec(text);
	const wallClock = local ? wallClockOf(local) : undefined;
	if (wallClock !== undefined) instant = wallClockToUtc(wallClock, timeZone);
	if (instant === undefined || Number.isNaN(instant))
		return { problem: `is not a date and time: "${text}"` };
	return { iso: new Date(instant).toISOString() };
}
