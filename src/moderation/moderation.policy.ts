/** Who may decide a queue item. */
import { type Actor, isSelf, moderatesRegion } from '../core/policy';

interface ItemTarget {
  region: string;
  createdBy?: unknown;
  targetType: string;
  targetId: unknown;
}

export const moderationPolicy = {
  /** See the item: a moderator of its région or an admin. */
  view: (actor: Actor | undefined, item: ItemTarget) => moderatesRegion(actor, item.region),
  /** Decide: the same, never on what one created nor about oneself. */
  decide: (actor: Actor | undefined, item: ItemTarget, contactAuthor?: unknown) =>
    moderatesRegion(actor, item.region) &&
    !isSelf(actor, item.createdBy) &&
    !(item.targetType === 'member' && isSelf(actor, item.targetId)) &&
    !isSelf(actor, contactAuthor),
};
