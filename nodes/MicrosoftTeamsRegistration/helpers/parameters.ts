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
};

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
