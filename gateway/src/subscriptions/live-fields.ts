import { certificationStatusChannel, notificationReceivedChannel, orderStatusChannel, type ChannelDefinition } from '@academy/events';
import { isSelf, isSelfOrStaff, isStaff } from '@academy/permissions';
import type { Viewer } from '@academy/platform';
import type { LiveChannel, LiveRouting } from './live-events';

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
  /**
   * Each event id names one change (not the thing that changed): an event that arrives again
   * (the outbox relay publishes at least once) is delivered once to a subscription.
   */
  distinct?: boolean;
  /** The subscription's own arguments that go to the query field too. */
  forwardedArguments: readonly string[];
  visible(viewer: Viewer | null, event: Event, args: Record<string, unknown>): boolean;
  /**
   * Where events meet subscribers: the one route a subscription listens on, and the routes an
   * event is handed to. An event whose routes miss a subscriber's is never checked against it, so
   * every subscriber `visible` would accept must listen on one of the event's routes.
   */
  routes: { subscriber(viewer: Viewer | null, args: Record<string, unknown>): string; event(event: Event): readonly string[] };
  /**
   * The thing a subscription names by argument (a certificate, an order), looked up as the
   * subscriber when it subscribes: one it cannot see is refused (NOT_FOUND) instead of a
   * subscription that silently never delivers.
   */
  target?: { argument: string; what: string; query: string };
  /**
   * Events a reconnecting client missed: with `argument` (the id of the last event it received),
   * the ids of the events after it, asked through the supergraph as the subscriber (`ids`, its
   * result `events: [{ id }]`; the subscription's `forwarded` arguments go along), delivered
   * before the live ones. An event the subscriber may not see is refused (NOT_FOUND).
   */
  replay?: {
    argument: string;
    query: string;
    /**
     * The ids of the events from a time on (`$since`, with the `forwarded` arguments; its result
     * `events: [{ id }]`): what a subscription that had delivered nothing yet missed while the
     * gateway's connection to Redis was lost, from when it subscribed (catch-up.ts).
     */
    since?: string;
    /** The most events one answer holds: a full one is followed by the next, after its last. */
    pageSize: number;
    forwarded: readonly string[];
    eventOf(id: string): Event;
  };
  /**
   * For a field whose event is the named thing as it is now (an order): the event that resolves
   * it now. When the gateway's connection to Redis was lost, what was published meanwhile never
   * arrives; once it is back the subscription resolves this event and delivers it if it differs
   * from what it delivered last (or from the thing as it was when the connection was lost).
   */
  resync?(viewer: Viewer | null, args: Record<string, unknown>): Event;
  /**
   * For a feed (notifications): its newest ids, newest first, asked through the supergraph as the
   * subscriber (`query`, whose root field `key` `ids` reads), and the event of one. When the
   * gateway's connection to Redis was lost, the subscription notes the newest one it knew of
   * (the last it delivered, or the feed's newest, asked then); once it is back it delivers the
   * ones newer than that, oldest first, then the live ones it held meanwhile, each once.
   */
  recent?: { query: string; key: string; ids(value: unknown): string[]; eventOf(id: string, viewer: Viewer | null): Event };
}

const certificationStatusChanged: LiveField<{ changeId: string; learnerId: string; certificateId: string }> = {
  channel: certificationStatusChannel,
  queryField: 'certificationStatusEvent',
  eventId: (event) => event.changeId,
  distinct: true,
  forwardedArguments: ['certificateId'],
  visible: (viewer, event, args) =>
    isSelfOrStaff(viewer, event.learnerId) && (!args.certificateId || event.certificateId === args.certificateId),
  // The tenant's staff see every change; anyone else their own.
  routes: {
    subscriber: (viewer) => (isStaff(viewer) ? 'staff' : `person:${viewer?.userId ?? ''}`),
    event: (event) => ['staff', `person:${event.learnerId}`],
  },
  target: { argument: 'certificateId', what: 'Certificate', query: 'query LiveTarget($id: ID!) { target: certificate(id: $id) { id } }' },
  replay: {
    argument: 'afterEventId',
    query:
      'query LiveReplay($after: ID!, $certificateId: ID) { events: certificationStatusEvents(afterEventId: $after, certificateId: $certificateId) { id } }',
    since:
      'query LiveReplaySince($since: DateTime!, $certificateId: ID) { events: certificationStatusEventsSince(since: $since, certificateId: $certificateId) { id } }',
    // The conocer subgraph's REPLAY_LIMIT.
    pageSize: 100,
    forwarded: ['certificateId'],
    // Only its id is read (the event is resolved through certificationStatusEvent like a live one).
    eventOf: (id) => ({ changeId: id, learnerId: '', certificateId: '' }),
  },
};

const notificationReceived: LiveField<{ notificationId: string; userId: string }> = {
  channel: notificationReceivedChannel,
  queryField: 'notificationEvent',
  eventId: (event) => event.notificationId,
  distinct: true,
  forwardedArguments: [],
  // One's own only: nobody, staff included, watches another person's notifications.
  visible: (viewer, event) => isSelf(viewer, event.userId),
  routes: { subscriber: (viewer) => `person:${viewer?.userId ?? ''}`, event: (event) => [`person:${event.userId}`] },
  recent: {
    query: 'query LiveRecent { me { notifications(first: 100) { edges { node { id } } } } }',
    key: 'me',
    ids: (value) => (value as { notifications: { edges: { node: { id: string } }[] } }).notifications.edges.map((edge) => edge.node.id),
    eventOf: (id, viewer) => ({ notificationId: id, userId: viewer?.userId ?? '' }),
  },
};

const orderStatusChanged: LiveField<{ orderId: string; buyerId: string }> = {
  channel: orderStatusChannel,
  queryField: 'orderEvent',
  eventId: (event) => event.orderId,
  forwardedArguments: ['orderId'],
  // The buyer's own order, the one asked for.
  visible: (viewer, event, args) => isSelf(viewer, event.buyerId) && event.orderId === args.orderId,
  routes: { subscriber: (viewer) => `person:${viewer?.userId ?? ''}`, event: (event) => [`person:${event.buyerId}`] },
  target: { argument: 'orderId', what: 'Order', query: 'query LiveTarget($id: ID!) { target: order(id: $id) { id } }' },
  resync: (viewer, args) => ({ orderId: String(args.orderId), buyerId: viewer?.userId ?? '' }),
};

export const LIVE_FIELDS: Record<string, LiveField<never>> = {
  certificationStatusChanged: certificationStatusChanged as LiveField<never>,
  notificationReceived: notificationReceived as LiveField<never>,
  orderStatusChanged: orderStatusChanged as LiveField<never>,
};

/** Every live field's channel with its routes: what the gateway's LiveEvents listens to. */
export const LIVE_CHANNELS: readonly LiveRouting[] = Object.values(LIVE_FIELDS).map((live: LiveField<never>) => ({
  channel: live.channel as LiveChannel,
  routes: (event: never) => live.routes.event(event),
}));
