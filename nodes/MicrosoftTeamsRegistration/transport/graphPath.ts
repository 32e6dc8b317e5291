/**
 * The one way to put ids into a Graph URL path: every interpolated value is encoded as a
 * single path segment, so an id holding `/`, `?`, `#`, `+`, `=` or `%` can never reach
 * another resource.
 *
 *   graphPath`/onlineMeetings/${meetingId}/registration/registrants`
 */
export function encodePathSegment(value: string): string {
	// "." and ".." would be resolved away by URL normalisation even when percent-encoded
	if (value === '' || value === '.' || value === '..') {
		throw new RangeError(`"${value}" cannot be used as an id in a URL path`);
	}
	return encodeURIComponent(value);
}

export function graphPath(literals: TemplateStringsArray, ...ids: string[]): string {
	return literals.reduce(
		(path, literal, index) =>
			path + literal + (index < ids.length ? encodePathSegment(ids[index]) : ''),
		'',
	);
}
