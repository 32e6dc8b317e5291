import type { IDataObject } from 'n8n-workflow';

import type { Clock } from './clock';
import { systemClock } from './clock';

/** Graph's limit of requests in one JSON batch. */
export const MAX_BATCH_SIZE = 20;

/** How long a batch waits for more requests before it goes. */
export const BATCH_LINGER_MS = 10;

export interface BatchEntry {
	method: string;
	/** Relative to the API version root, query string included (`/me/onlineMeetings/...`). */
	url: string;
	body?: IDataObject;
}

interface BatchAnswer {
	id: string;
	status: number;
	headers?: IDataObject;
	body?: unknown;
}

interface Pending {
	entry: BatchEntry;
	resolve: (value: unknown) => void;
	reject: (reason: unknown) => void;
}

/** An entry's failure, shaped like an HTTP client's error so it is classified like any other answer. */
export class BatchEntryError extends Error {
	constructor(readonly response: { status: number; data: unknown; headers: IDataObject }) {
		super(`Batch entry answered HTTP ${response.status}`);
	}
}

/**
 * Gathers requests made at about the same time into Graph JSON batches (`POST /$batch`, up
 * to 20 each). Every entry settles on its own answer: 2xx resolves with its body, anything
 * else (a 429 with its own Retry-After, a 424 for a failed dependency) rejects like a plain
 * HTTP error, so pacing, retries and reconciliation treat it exactly as an unbatched
 * request. If the batch itself fails, every entry in it fails the same way.
 */
export class Batcher {
	private queue: Pending[] = [];
	/** Counts flushes, so a linger that ends after its batch already went does nothing. */
	private flushes = 0;
	private lingering = false;

	constructor(
		private readonly sendBatch: (payload: IDataObject) => Promise<{ responses?: BatchAnswer[] }>,
		private readonly clock: Clock = systemClock,
		private readonly lingerMs = BATCH_LINGER_MS,
	) {}

	async send(entry: BatchEntry): Promise<unknown> {
		return await new Promise((resolve, reject) => {
			this.queue.push({ entry, resolve, reject });
			if (this.queue.length >= MAX_BATCH_SIZE) this.flush();
			else if (!this.lingering) this.linger();
		});
	}

	private linger(): void {
		this.lingering = true;
		const flushesBefore = this.flushes;
		void this.clock.sleep(this.lingerMs).then(() => {
			if (this.flushes === flushesBefore) this.flush();
		});
	}

	private flush(): void {
		this.flushes++;
		this.lingering = false;
		while (this.queue.length > 0) void this.sendOne(this.queue.splice(0, MAX_BATCH_SIZE));
	}

	private async sendOne(batch: Pending[]): Promise<void> {
		const requests = batch.map(({ entry }, index) => ({
			id: String(index + 1),
			method: entry.method,
			url: entry.url,
			...(entry.body === undefined
				? {}
				: { body: entry.body, headers: { 'Content-Type': 'application/json' } }),
		}));
		let answers: Map<string, BatchAnswer>;
		try {
			const result = await this.sendBatch({ requests });
			answers = new Map((result.responses ?? []).map((answer) => [String(answer.id), answer]));
		} catch (error) {
			for (const pending of batch) pending.reject(error);
			return;
		}
		batch.forEach((pending, index) => {
			const answer = answers.get(String(index + 1));
			if (answer === undefined) {
				// Graph left it out: nothing says whether it ran.
				pending.reject(
					new BatchEntryError({
						status: 500,
						data: {
							error: {
								code: 'MissingBatchResponse',
								message: 'Microsoft Graph returned no answer for this request in its batch.',
							},
						},
						headers: {},
					}),
				);
			} else if (answer.status < 400) {
				pending.resolve(answer.body);
			} else {
				pending.reject(
					new BatchEntryError({
						status: answer.status,
						data: answer.body,
						headers: answer.headers ?? {},
					}),
				);
			}
		});
	}
}
