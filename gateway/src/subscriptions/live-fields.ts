import { certificationStatusChannel, notificationReceivedChannel, orderStatusChannel, type ChannelDefinition } from '@academy/events';
import { isSelf, isSelfOrStaff } from '@academy/permissions';
import type { Viewer } from '@academy/platform';
import type { LiveChannel } from './live-events';

/**
 * A subscription field the gateway serves: which channel feeds it, the query field each event is
 * resolved through (as the subscriber, so every field of the event resolves across subgraphs
 * with their permissions), and who sees which event.
 */
export interface LiveField<Event> {
  channel: ChannelDefinition<Event>;
  queryField: string;
  /** The id the query field takes. */
  eventId(event: Event): string;
  /** Whether the subscription's own arguments go to the query field too. */
  forwardsArguments: boolean;
  visible(viewer: Viewer | null, event: Event, args: Record<string, unknown>): boolean;
  /**
   * The thing a subscription names by argument (a certificate, an order), looked up as the
   * subscriber when it subscribes: one it cannot see is refused (NOT_FOUND) instead of a
   * subscription that silently never delivers.
   */
  target?: { argument: string; what: string; query: string };
}

const certificationStatusChanged: LiveField<{ changeId: string; learnerId: string; certificateId: string }> = {
  channel: certificationStatusChannel,
  queryField: 'certificationStatusEvent',
  eventId: (event) => event.changeId,
  forwardsArguments: true,
  visible: (viewer, event, args) =>
    isSelfOrStaff(viewer, event.learnerId) && (!args.certificateId || event.certificateId === args.certificateId),
  target: { argument: 'certificateId', what: 'Certificate', query: 'query LiveTarget($id: ID!) { target: certificate(id: $id) { id } }' },
};

const notificationReceived: LiveField<{ notificationId: string; userId: string }> = {
  channel: notificationReceivedChannel,
  queryField: 'notificationEvent',
  eventId: (event) => event.notificationId,
  forwardsArguments: false,
  // One's own only: nobody, staff included, watches another person's notifications.
  visible: (viewer, event) => isSelf(viewer, event.userId),
};

const orderStatusChanged: LiveField<{ orderId: string; buyerId: string }> = {
  channel: orderStatusChannel,
  queryField: 'orderEvent',
  eventId: (event) => event.orderId,
  forwardsArguments: true,
  // The buyer's own order, the one asked for.
  visible: (viewer, event, args) => isSelf(viewer, event.buyerId) && event.orderId === args.orderId,
  target: { argument: 'orderId', what: 'Order', query: 'query LiveTarget($id: ID!) { target: order(id: $id) { id } }' },
};

export const LIVE_FIELDS: Record<string, LiveField<never>> = {
  certificationStatusChanged: certificationStatusChanged as LiveField<never>,
  notificationReceived: notificationReceived as LiveField<never>,
  orderStatusChanged: orderStatusChanged as LiveField<never>,
};

export const LIVE_CHANNELS: readonly LiveChannel[] = [certificationStatusChannel, notificationReceivedChannel, orderStatusChannel];
