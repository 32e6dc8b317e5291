import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import { isRecord } from '../helpers/data';

/** What Graph said, in its own words (`{"error":{"code","message","innerError"}}`). */
export interface GraphErrorDetails {
	status: number;
	code: string;
	message: string;
	requestId?: string;
	date?: string;
}

function headerValue(headers: unknown, name: string): string | undefined {
	if (!isRecord(headers)) return undefined;
	const value = headers[name] ?? headers[name.toLowerCase()];
	return typeof value === 'string' ? value : undefined;
}

/** Reads Graph's error body; anything else (an HTML page from a proxy, empty) still gives a message. */
export function readGraphError(status: number, body: unknown, headers: unknown): GraphErrorDetails {
	const parsed = typeof body === 'string' ? safeJsonParse(body) : body;
	const error = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : undefined;
	const innerError = error && isRecord(error.innerError) ? error.innerError : undefined;
	return {
		status,
		code: typeof error?.code === 'string' ? error.code : `HTTP${status}`,
		message:
			typeof error?.message === 'string' && error.message !== ''
				? error.message
				: `Microsoft Graph answered HTTP ${status}`,
		requestId:
			(typeof innerError?.['request-id'] === 'string' ? innerError['request-id'] : undefined) ??
			headerValue(headers, 'request-id'),
		date: typeof innerError?.date === 'string' ? innerError.date : undefined,
	};
}

function safeJsonParse(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/**
 * The NodeApiError users see: Graph's message and code, the domain layer's `hint` and
 * Graph's request id. Built from Graph's answer alone, never from the HTTP client's error
 * object, which holds the request's Authorization header.
 */
export function graphApiError(
	node: INode,
	details: GraphErrorDetails,
	hint: string,
	itemIndex: number | undefined,
): NodeApiError {
	const requestIdNote = details.requestId ? ` Graph request ID: ${details.requestId}.` : '';
	const error = new NodeApiError(node, { graphError: { ...details } } as unknown as JsonObject, {
		message: `${details.message} [${details.code}]`,
		description: `${hint}${requestIdNote}`.trim(),
		httpCode: String(details.status),
		itemIndex,
	});
	error.context.graphError = { ...details };
	return error;
}
