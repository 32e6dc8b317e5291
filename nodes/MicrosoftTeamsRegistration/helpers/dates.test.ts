/**
 * Date and time parameters to Graph's UTC instants, in a given time zone.
 */
import { utcInstantOf } from './dates';

test('text with an offset is that instant', () => {
	expect(utcInstantOf('2025-06-01T10:00:00+02:00', 'America/New_York')).toEqual({
		iso: '2025-06-01T08:00:00.000Z',
	});
	expect(utcInstantOf('2025-06-01T10:00Z', 'Europe/Berlin')).toEqual({
		iso: '2025-06-01T10:00:00.000Z',
	});
	expect(utcInstantOf('2028-02-29T23:30:00.5-01:00', 'UTC')).toEqual({
		iso: '2028-03-01T00:30:00.500Z',
	});
});

test('text without offset is read in the time zone, daylight saving time included', () => {
	expect(utcInstantOf('2025-06-01T10:00:00', 'Europe/Berlin')).toEqual({
		iso: '2025-06-01T08:00:00.000Z',
	});
	expect(utcInstantOf('2025-01-15T10:00:00', 'Europe/Berlin')).toEqual({
		iso: '2025-01-15T09:00:00.000Z',
	});
	expect(utcInstantOf('2025-06-01 10:00', 'America/New_York')).toEqual({
		iso: '2025-06-01T14:00:00.000Z',
	});
	expect(utcInstantOf('2025-06-01', 'UTC')).toEqual({ iso: '2025-06-01T00:00:00.000Z' });
	expect(utcInstantOf('2025-06-01T10:00:00.25', 'UTC')).toEqual({
		iso: '2025-06-01T10:00:00.250Z',
	});
});

test('the day daylight saving time starts and ends', () => {
	// Berlin: 2025-03-30 02:00 → 03:00 (+01:00 → +02:00); 2025-10-26 03:00 → 02:00.
	expect(utcInstantOf('2025-03-30T01:30:00', 'Europe/Berlin')).toEqual({
		iso: '2025-03-30T00:30:00.000Z',
	});
	expect(utcInstantOf('2025-03-30T03:30:00', 'Europe/Berlin')).toEqual({
		iso: '2025-03-30T01:30:00.000Z',
	});
	expect(utcInstantOf('2025-10-26T04:00:00', 'Europe/Berlin')).toEqual({
		iso: '2025-10-26T03:00:00.000Z',
	});
});

test('Dates and Luxon-like DateTimes from expressions are taken as they are', () => {
	expect(utcInstantOf(new Date(Date.UTC(2025, 5, 1, 8)), 'Asia/Tokyo')).toEqual({
		iso: '2025-06-01T08:00:00.000Z',
	});
	expect(utcInstantOf({ toISO: () => '2025-06-01T10:00:00.000+02:00' }, 'UTC')).toEqual({
		iso: '2025-06-01T08:00:00.000Z',
	});
});

test('what is not a date and time says why', () => {
	expect(utcInstantOf('', 'UTC')).toEqual({ problem: 'is empty' });
	expect(utcInstantOf(undefined, 'UTC')).toEqual({ problem: 'is empty' });
	expect(utcInstantOf('  ', 'UTC')).toEqual({ problem: 'is empty' });
	expect(utcInstantOf('2025-02-30T10:00:00', 'UTC')).toEqual({
		problem: 'is not a date and time: "2025-02-30T10:00:00"',
	});
	expect(utcInstantOf('2025-06-01T24:00:00', 'UTC')).toEqual({
		problem: 'is not a date and time: "2025-06-01T24:00:00"',
	});
	// with an offset too: JavaScript's own parser would roll these over into the next day or month
	for (const text of [
		'2025-02-30T10:00:00Z',
		'2025-06-01T24:00:00+02:00',
		'2025-06-31T10:00:00.123456-05:00',
		'2025-06-01T10:00:00+24:00',
	])
		expect(utcInstantOf(text, 'UTC')).toEqual({ problem: `is not a date and time: "${text}"` });
	expect(utcInstantOf('next Tuesday', 'UTC')).toEqual({
		problem: 'is not a date and time: "next Tuesday"',
	});
	expect(utcInstantOf(1748772000000, 'UTC')).toEqual({
		problem: 'must be a date and time, but its expression resolved to a number',
	});
	expect(utcInstantOf(['2025-06-01'], 'UTC')).toEqual({
		problem: 'must be a date and time, but its expression resolved to an array',
	});
});
