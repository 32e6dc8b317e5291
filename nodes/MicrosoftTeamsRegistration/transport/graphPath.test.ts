/**
 * graphPath: every id stays inside its own path segment.
 */
import { encodePathSegment, graphPath } from './graphPath';

test('literals are kept; each id is encoded as one segment', () => {
	expect(graphPath`/onlineMeetings/${'abc'}/registration/registrants/${'jane@example.com'}`).toBe(
		'/onlineMeetings/abc/registration/registrants/jane%40example.com',
	);
});

test('an id cannot reach another resource: / ? # % + = are encoded', () => {
	const id = '../x/y?$select=id#frag%2F+=';
	const path = graphPath`/users/${id}`;
	expect(path).toBe('/users/..%2Fx%2Fy%3F%24select%3Did%23frag%252F%2B%3D');
	expect(path.split('/')).toHaveLength(3);
	expect(decodeURIComponent(path.slice('/users/'.length))).toBe(id);
});

test('empty, "." and ".." are refused: URL normalisation would resolve them away', () => {
	for (const id of ['', '.', '..']) {
		expect(() => graphPath`/onlineMeetings/${id}`).toThrow(RangeError);
		expect(() => encodePathSegment(id)).toThrow(`"${id}" cannot be used as an id in a URL path`);
	}
	expect(encodePathSegment('...')).toBe('...');
});

test('a path without ids is its literal', () => {
	expect(graphPath`/me/onlineMeetings`).toBe('/me/onlineMeetings');
});
