import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailingTestApp } from '../../../tests/support/app.js';
import {
  applyOnline,
  createFamily,
  createOpenGroup,
  createOrganization,
} from '../../../tests/support/enrolment.js';
import { addressesOf, eventually } from '../../../tests/support/smtp.js';
import { queryRows } from '../../platform/db/client.js';
import { NOTICE_RETRY_LIMIT } from './jobs.js';

/**
 * The outbox of notices (ADR 0051): each status change is an event, due until a worker has written its notice and
 * queued its letter. An event that cannot be notified is tried again later and given up in the end, and it never
 * holds back the others.
 */

let testbed: Awaited<ReturnType<typeof createMailingTestApp>>;
let organizationId: string;
let families = 0;

beforeAll(async () => {
  testbed = await createMailingTestApp();
  organizationId = await createOrganization(testbed.database.db);
});
afterAll(() => testbed.close());

async function fileApplication(groupId: string, email = `outbox-parent${++families}@example.ru`) {
  const family = await createFamily(testbed.database.db, { email });
  const filed = await applyOnline(testbed.app.services.applications, family, groupId);
  return { ...family, email, applicationId: filed.id, queuePlace: filed.queuePlace };
}

async function eventOf(applicationId: string) {
  const [event] = await queryRows(
    testbed.database.db,
    sql`select e.notice_due, e.notice_failures, e.notice_retry_at > now() as waits,
               exists (select 1 from application_notices n where n.event_id = e.id) as noticed
          from application_events e where e.application_id = ${applicationId}`,
  );
  return event!;
}

describe('the outbox of notices', () => {
  it('notifies each event once; one whose letter cannot be made is retried later, then given up, alone', async () => {
    const { groupId } = await createOpenGroup(testbed.database.db, { organizationId, capacity: 1 });
    // The first parent's address is broken (the letter's schema refuses it), so the batch with its event fails;
    // the events filed with it must still get their notices and letters.
    const broken = await fileApplication(groupId, 'not-an-address');
    const others = [await fileApplication(groupId), await fileApplication(groupId)];

    // Their letters say the place in the queue that the filing answered (kept on the event).
    expect(others.map((other) => other.queuePlace)).toEqual([1, 2]);
    for (const other of others) {
      const letter = await testbed.sink.waitFor(other.email, 15_000, 'в очереди');
      expect(letter.text).toContain(`поставлена в очередь. Вы ${other.queuePlace}-й в очереди.`);
    }
    const failed = await eventually(async () => {
      const event = await eventOf(broken.applicationId);
      return Number(event.notice_failures) >= 1 ? event : null;
    });
    // Still due, after a pause (5 s, then doubling); no notice was written for it.
    expect(failed).toMatchObject({ notice_due: true, waits: true, noticed: false });
    for (const other of others)
      expect(await eventOf(other.applicationId)).toMatchObject({ notice_due: false, noticed: true });

    // Its last attempt: after it, the event is no longer due, and nothing was sent for it.
    await queryRows(
      testbed.database.db,
      sql`update application_events set notice_failures = ${NOTICE_RETRY_LIMIT}, notice_retry_at = null
           where application_id = ${broken.applicationId}`,
    );
    const givenUp = await eventually(async () => {
      const event = await eventOf(broken.applicationId);
      return event.notice_due === false ? event : null;
    });
    expect(givenUp).toMatchObject({ notice_failures: NOTICE_RETRY_LIMIT + 1, noticed: false });
    expect(testbed.sink.received.some((mail) => addressesOf(mail).includes('not-an-address'))).toBe(false);
  });

  it('an event due again after its notice was written sends no second letter', async () => {
    const { groupId } = await createOpenGroup(testbed.database.db, { organizationId, capacity: 5 });
    const parent = await fileApplication(groupId);
    await testbed.sink.waitFor(parent.email, 15_000, 'новая');
    await queryRows(
      testbed.database.db,
      sql`update application_events set notice_due = true where application_id = ${parent.applicationId}`,
    );
    // Made due again (as after a crash between the notice and the claim): the notice is there, so no second letter.
    await eventually(async () => (await eventOf(parent.applicationId)).notice_due === false);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(testbed.sink.received.filter((mail) => addressesOf(mail).includes(parent.email))).toHaveLength(1);
  });
});
