import fc from 'fast-check';
import { Persona, type Viewer } from '@academy/platform';
import { LIVE_FIELDS, type LiveField } from '../src/subscriptions/live-fields';

/**
 * An event reaches only the subscriptions listening on one of its routes (LiveEvents), so a
 * route that misses a subscriber `visible` would accept is a delivery lost. For every live field:
 * whoever may see an event listens where the event goes; and an event goes to few routes, not to
 * every subscriber of the tenant.
 */
describe('live event routing', () => {
  const people = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'];
  const ids = ['aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'];
  const person = fc.constantFrom(...people);
  const id = fc.constantFrom(...ids);
  const viewer: fc.Arbitrary<Viewer | null> = fc.option(
    fc.record({ userId: person, tenantId: fc.constant('t'), persona: fc.constantFrom(...Object.values(Persona)) }),
  );
  const events: Record<string, fc.Arbitrary<unknown>> = {
    certificationStatusChanged: fc.record({ changeId: id, learnerId: person, certificateId: id }),
    notificationReceived: fc.record({ notificationId: id, userId: person }),
    orderStatusChanged: fc.record({ orderId: id, buyerId: person }),
  };
  const argumentsOf: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
    certificationStatusChanged: fc.record({ certificateId: fc.option(id) }),
    notificationReceived: fc.constant({}),
    orderStatusChanged: fc.record({ orderId: id }),
  };

  it('covers every live field', () => {
    expect(Object.keys(events).sort()).toEqual(Object.keys(LIVE_FIELDS).sort());
  });

  it.each(Object.keys(events))('%s: a subscriber who may see an event listens on one of its routes', (name) => {
    const live = LIVE_FIELDS[name] as LiveField<unknown>;
    fc.assert(
      fc.property(viewer, events[name]!, argumentsOf[name]!, (who, event, args) => {
        if (!live.visible(who, event, args)) return true;
        return live.routes.event(event).includes(live.routes.subscriber(who, args));
      }),
      { seed: 20261201, numRuns: 2_000 },
    );
  });

  it('hands a learner’s certification change to that learner and the staff only', () => {
    const live = LIVE_FIELDS.certificationStatusChanged as LiveField<unknown>;
    const event = { changeId: ids[0], learnerId: people[0], certificateId: ids[1] };
    const listeningOn = (persona: Persona, userId: string) => live.routes.subscriber({ userId, tenantId: 't', persona }, {});
    expect(live.routes.event(event)).toEqual(['staff', `person:${people[0]}`]);
    expect(listeningOn(Persona.LEARNER, people[0]!)).toBe(`person:${people[0]}`);
    expect(listeningOn(Persona.LEARNER, people[1]!)).toBe(`person:${people[1]}`);
    expect(listeningOn(Persona.TENANT_ADMIN, people[1]!)).toBe('staff');
  });
});
