import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';

import { graphPath } from '../transport';
import type { OperationContext } from '../actions/node.type';
import type { MeetingRegistration } from './executionCache';
import { inputError } from './parameters';

export type MeetingReference = { kind: 'id'; id: string } | { kind: 'joinUrl'; joinUrl: string };

/** Hosts that serve Teams meeting join links, in every cloud Teams runs in. */
const TEAMS_JOIN_HOSTS = new Set([
	'teams.microsoft.com',
	'teams.microsoft.us',
	'gov.teams.microsoft.us',
	'dod.teams.microsoft.us',
	'teams.microsoftonline.cn',
]);

export const JOIN_LINK_EXAMPLE = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_...%40thread.v2/0?context=...';

export function isTeamsJoinLink(text: string): boolean {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return false;
	}
	return (
		url.protocol === 'https:' &&
		TEAMS_JOIN_HOSTS.has(url.hostname.toLowerCase()) &&
		(url.pathname.startsWith('/l/meetup-join/') || url.pathname.startsWith('/meet/'))
	);
}

/** Reads and checks the `meeting` resource locator of one item; sends nothing. */
export function readMeetingReference(ctx: IExecuteFunctions, itemIndex: number): MeetingReference {
	const node = ctx.getNode();
	const locator = ctx.getNodeParameter('meeting', itemIndex) as INodeParameterResourceLocator | unknown;
	const { mode, value } = (typeof locator === 'object' && locator !== null ? locator : { mode: 'id', value: locator }) as {
		mode?: string;
		value?: unknown;
	};
	if (value !== null && typeof value === 'object') {
		throw inputError(node, itemIndex, 'meeting', 'must be text, but its expression resolved to an object or array');
	}
	const text = String(value ?? '').trim();
	if (text === '') throw inputError(node, itemIndex, 'meeting', 'is empty');

	if (mode === 'url') {
		if (!isTeamsJoinLink(text)) {
			throw inputError(node, itemIndex, 'meeting', `is not a Teams meeting join link: "${text}"`, `A join link looks like ${JOIN_LINK_EXAMPLE}`);
		}
		return { kind: 'joinUrl', joinUrl: text };
	}
	if (/^https?:\/\//i.test(text)) {
		throw inputError(node, itemIndex, 'meeting', 'holds a link, not a meeting ID', 'Choose "By Join Link" in the Meeting field to use a join link.');
	}
	if (text === '.' || text === '..') throw inputError(node, itemIndex, 'meeting', `is not a meeting ID: "${text}"`);
	return { kind: 'id', id: text };
}

/** OData string literal: single quotes are doubled. */
function odataString(text: string): string {
	return `'${text.replace(/'/g, "''")}'`;
}

/** The onlineMeeting id; a join link is looked up once per execution. */
export async function resolveMeetingId(meeting: MeetingReference, context: OperationContext): Promise<string> {
	if (meeting.kind === 'id') return meeting.id;
	const { graph, caches, itemIndex, node, organizerRoot } = context;
	return await caches.meetingIdByJoinUrl.get(`${organizerRoot} ${meeting.joinUrl}`, async () => {
		const found = await graph.request<{ value?: IDataObject[] }>({
			method: 'GET',
			path: `${organizerRoot}/onlineMeetings`,
			qs: { $filter: `JoinWebUrl eq ${odataString(meeting.joinUrl)}` },
			itemIndex,
		});
		const id = found.value?.[0]?.id;
		if (typeof id !== 'string' || id === '') {
			throw inputError(
				node,
				itemIndex,
				'meeting',
				'names no meeting of this organizer: Microsoft Graph found no meeting with this join link',
				'Check that the link is complete and that the credential signs in as the meeting\'s organizer.',
			);
		}
		return id;
	});
}

/** The meeting's external registration, read once per meeting per execution. */
export async function readRegistration(meetingId: string, context: OperationContext): Promise<MeetingRegistration> {
	const { graph, caches, itemIndex, organizerRoot } = context;
	return await caches.registrationByMeeting.get(`${organizerRoot} ${meetingId}`, async () =>
		await graph.request<MeetingRegistration>({
			method: 'GET',
			path: `${meetingPath(organizerRoot, meetingId)}/registration`,
			itemIndex,
		}),
	);
}

/** `<organizer>/onlineMeetings/{meetingId}`; append `/registration...` as literals. */
export function meetingPath(organizerRoot: string, meetingId: string): string {
	return organizerRoot + graphPath`/onlineMeetings/${meetingId}`;
}
