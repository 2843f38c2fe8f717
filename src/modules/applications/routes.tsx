import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { officialName } from '../../platform/grammar/index.js';
import { setFlash } from '../../platform/http/security.js';
import type { CurrentUser } from '../../platform/http/request-context.js';
import { inputFields } from '../../platform/validation/input.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import { sendPage } from '../../platform/views/render.js';
import type { CatalogService } from '../catalog/index.js';
import type { CertificatesService } from '../certificates/index.js';
import type { ChildrenService } from '../children/index.js';
import type { ActionResult, ApplicationsService } from './service.js';
import {
  ApplicationPage,
  ApplicationsTab,
  ApplyPage,
  ConfirmActionPage,
  ConfirmApplyPage,
  type ChildChoice,
  type ParentAction,
} from './views.js';
import { access, userOf } from '../../platform/http/access.js';

const idParams = z.object({ id: z.uuid() });
const childQuery = z.object({ childId: z.uuid('Выберите ребёнка').optional() });
const applyBody = z.object({ childId: z.uuid('Выберите ребёнка') });
const actionParams = z.object({ id: z.uuid(), action: z.enum(['cancel', 'decline', 'leave']) });

const CONFLICT_MESSAGE = 'Статус заявки уже изменился. Посмотрите, что с ней сейчас.';

/** Where an action on an application leads: back to its page (`url`) with a message saying what happened. */
export function afterAction(
  reply: FastifyReply,
  url: string,
  result: ActionResult,
  done: string,
  settings: { secure: boolean },
) {
  if (result === 'not_found') return sendPage(reply, <NotFoundPage />, 404);
  setFlash(
    reply,
    result === 'done' ? done : typeof result === 'object' ? result.refused : CONFLICT_MESSAGE,
    settings,
  );
  return reply.redirect(url, 303);
}

/** The parent's side: «Записаться» on a group and the cabinet's «Заявки». */
export function applicationsRoutes({
  applications,
  catalog,
  children,
  certificates,
  secureCookies,
}: {
  applications: ApplicationsService;
  catalog: CatalogService;
  children: ChildrenService;
  certificates: CertificatesService;
  secureCookies: boolean;
}) {
  const settings = { secure: secureCookies };

  /** The account's children, each with the reasons it cannot apply to this group (the service's own rule). */
  async function childChoices(user: CurrentUser | null, groupId: string): Promise<ChildChoice[]> {
    if (!user) return [];
    const list = await children.listOf(user);
    const ids = list.map((child) => child.id);
    const [issued, eligibility] = await Promise.all([
      certificates.forChildren(user, ids),
      applications.eligibility(user, groupId, ids),
    ]);
    return list.map((child) => ({
      id: child.id,
      name: officialName(child),
      certificateNumber: issued.get(child.id)?.number ?? null,
      refusals: eligibility.get(child.id) ?? [],
    }));
  }

  async function findGroup(params: unknown) {
    const parsed = idParams.safeParse(params);
    return parsed.success ? catalog.getPublicGroup(parsed.data.id) : null;
  }

  return (app: FastifyInstance) => {
    app.get('/groups/:id/apply', access('public'), async (request, reply) => {
      const group = await findGroup(request.params);
      if (!group) return sendPage(reply, <NotFoundPage />, 404);
      const choices = await childChoices(request.user, group.group.id);
      const query = childQuery.safeParse(inputFields(request.query));
      const chosen = query.success ? choices.find((child) => child.id === query.data.childId) : undefined;
      if (chosen && chosen.refusals.length === 0) {
        const quote = await applications.fundingQuote(request.user, group.group.id, chosen.id);
        return sendPage(reply, <ConfirmApplyPage group={group} child={chosen} quote={quote} />);
      }
      // A child that cannot apply never reaches the review step, even by a typed address.
      const errors = query.success ? {} : { childId: 'Выберите ребёнка' };
      const refusal = chosen?.refusals[0]?.message;
      return sendPage(
        reply,
        <ApplyPage
          group={group}
          signedIn={request.user !== null}
          choices={choices}
          errors={errors}
          refusal={refusal}
        />,
        query.success && !refusal ? 200 : 400,
      );
    });

    app.post('/groups/:id/apply', access('confirmed'), async (request, reply) => {
      const user = userOf(request);
      const group = await findGroup(request.params);
      if (!group) return sendPage(reply, <NotFoundPage />, 404);
      const values = inputFields(request.body);
      const parsed = applyBody.safeParse(values);
      const choices = await childChoices(user, group.group.id);
      const show = (props: { errors?: Record<string, string>; refusal?: string }) =>
        sendPage(
          reply,
          <ApplyPage group={group} signedIn choices={choices} childId={values.childId} {...props} />,
          400,
        );
      if (!parsed.success || !choices.some((child) => child.id === parsed.data.childId))
        return show({ errors: { childId: 'Выберите ребёнка' } });
      const result = await applications.apply({
        actorUserId: user.id,
        ownerUserId: user.id,
        channel: 'online',
        childId: parsed.data.childId,
        groupId: group.group.id,
      });
      // Nothing to correct in the form: the page says why, and the chooser shows the child's reasons.
      if (!result.ok) return show({ refusal: result.message });
      setFlash(
        reply,
        result.status === 'queued'
          ? `Заявка подана. Свободных мест нет, заявка в очереди: вы ${result.queuePlace}-й в очереди.`
          : result.status === 'accepted'
            ? 'Заявка подана и принята: ребёнок зачислен в группу.'
            : 'Заявка подана. Место в группе сохранено за ребёнком до решения организации.',
        settings,
      );
      return reply.redirect(`/cabinet/applications/${result.id}`, 303);
    });

    app.get('/cabinet/applications', access('user'), async (request, reply) => {
      const user = userOf(request);
      const list = await applications.listForApplicant(user);
      return sendPage(reply, <ApplicationsTab applications={list} />);
    });

    app.get('/cabinet/applications/:id', access('user'), async (request, reply) => {
      const user = userOf(request);
      const params = idParams.safeParse(request.params);
      const found = params.success ? await applications.openForApplicant(user, params.data.id) : null;
      if (!found) return sendPage(reply, <NotFoundPage />, 404);
      return sendPage(reply, <ApplicationPage application={found.application} events={found.events} />);
    });

    app.get('/cabinet/applications/:id/:action', access('user'), async (request, reply) => {
      const user = userOf(request);
      const params = actionParams.safeParse(request.params);
      const found = params.success ? await applications.openForApplicant(user, params.data.id) : null;
      if (!params.success || !found) return sendPage(reply, <NotFoundPage />, 404);
      return sendPage(
        reply,
        <ConfirmActionPage application={found.application} action={params.data.action} />,
      );
    });

    const parentActions: Record<
      ParentAction | 'take-offer',
      { run: typeof applications.cancel; done: string }
    > = {
      cancel: { run: applications.cancel, done: 'Заявка отменена.' },
      decline: {
        run: applications.cancel,
        done: 'Вы отказались от места. Оно предложено следующему в очереди.',
      },
      leave: {
        run: applications.leave,
        done: 'Заявление на отчисление принято: ребёнок отчислен из группы.',
      },
      'take-offer': { run: applications.takeOffer, done: 'Место подтверждено: ребёнок зачислен в группу.' },
    };

    app.post('/cabinet/applications/:id/:action', access('user'), async (request, reply) => {
      const user = userOf(request);
      const params = z
        .object({ id: z.uuid(), action: z.enum(['cancel', 'decline', 'leave', 'take-offer']) })
        .safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      const action = parentActions[params.data.action];
      const result = await action.run(user, params.data.id);
      return afterAction(reply, `/cabinet/applications/${params.data.id}`, result, action.done, settings);
    });
  };
}
