/**
 * Naming a webinar or town hall: the Event locator's modes, worded for the Event Type.
 */
import { eventIdOf, kindOfPath } from './virtualEvents';

const ID = '88b245ac-b0b2-f1aa-e34a-c81c27abdac2@f9448ec4-804b-46af-b810-62085248da33';

describe('eventIdOf', () => {
	test.each(['webinar', 'townhall'] as const)(
		'%s: the id from a registration page URL (the same shape for both kinds), or as given',
		(kind) => {
			expect(
				eventIdOf({ mode: 'url', text: `https://events.teams.microsoft.com/event/${ID}` }, kind),
			).toBe(ID);
			expect(
				eventIdOf(
					{ mode: 'url', text: `https://events.teams.microsoft.com/event/${ID}/?lang=en` },
					kind,
				),
			).toBe(ID);
			expect(eventIdOf({ mode: 'id', text: ID }, kind)).toBe(ID);
			expect(eventIdOf({ mode: 'list', text: ID }, kind)).toBe(ID);
		},
	);

	test('a town hall: the problems say "town hall"', () => {
		expect(
			eventIdOf({ mode: 'url', text: 'https://teams.microsoft.com/l/meetup-join/x' }, 'townhall'),
		).toEqual({
			problem:
				'is not a town hall registration page URL: "https://teams.microsoft.com/l/meetup-join/x"',
			description: expect.stringContaining('https://events.teams.microsoft.com/event/'),
		});
		expect(
			eventIdOf({ mode: 'id', text: `https://events.teams.microsoft.com/event/${ID}` }, 'townhall'),
		).toEqual({
			problem: 'holds a link, not a town hall ID',
			description:
				'Choose "By URL" in the Event field to use the link of the town hall\'s registration page.',
		});
		expect(eventIdOf({ mode: 'id', text: '..' }, 'townhall')).toEqual({
			problem: 'is not a town hall ID: ".."',
		});
	});

	test('webinar by default (the trigger and saved workflows)', () => {
		expect(eventIdOf({ mode: 'id', text: '.' })).toEqual({ problem: 'is not a webinar ID: "."' });
	});
});

test('kindOfPath', () => {
	expect(kindOfPath('/solutions/virtualEvents/townhalls/t1/sessions')).toBe('townhall');
	expect(kindOfPath('/solutions/virtualEvents/webinars/w1')).toBe('webinar');
});
