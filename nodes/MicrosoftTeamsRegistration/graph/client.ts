import { createGraphClient } from '../transport';
import type {
	AuthenticationMethod,
	DeliveryOptions,
	GraphClient,
	GraphClientContext,
} from '../transport';
import { hintForFailure } from './hints';

/** A Graph client whose errors carry this package's hints: for executions, editor methods and triggers alike. */
export async function openGraphClient(
	ctx: GraphClientContext,
	authentication: AuthenticationMethod,
	delivery: DeliveryOptions,
): Promise<GraphClient> {
	return await createGraphClient(ctx, authentication, {
		delivery,
		hintFor: hintForFailure,
		timeBudgetSetting: '"Time Budget" in Request Options',
	});
}
