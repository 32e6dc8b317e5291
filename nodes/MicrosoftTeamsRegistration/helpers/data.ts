import type { IDataObject } from 'n8n-workflow';

/** A plain object (not null, not an array): what JSON objects and n8n's IDataObject are. */
export function isRecord(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A Graph entity without OData control fields (`@odata.context`, `@odata.type`...). */
export function withoutODataFields(entity: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(entity).filter(([key]) => !key.startsWith('@odata.')));
}

/** An OData string literal: in quotes, a quote inside doubled. */
export function odataString(text: string): string {
	return `'${text.replace(/'/g, "''")}'`;
}
