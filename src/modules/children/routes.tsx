import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { auditContextOf } from '../../platform/http/audit-context.js';
import { setFlash } from '../../platform/http/security.js';
import { inputFields } from '../../platform/validation/input.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import { fieldErrors } from '../../platform/views/forms.js';
import { sendPage } from '../../platform/views/render.js';
import { formatDate } from '../../platform/views/format.js';
import type { AccountsService } from '../accounts/index.js';
import type { CertificatesService } from '../certificates/index.js';
import type { ReferenceService } from '../reference/index.js';
import { fullName } from './format.js';
import { childSchema } from './schemas.js';
import type { Child, ChildrenService } from './service.js';
import {
  ChildFormPage,
  ChildrenTab,
  ClosedActionPage,
  ConfirmProcedurePage,
  DeleteChildPage,
} from './views.js';
import { access, userOf } from '../../platform/http/access.js';

const idParams = z.object({ id: z.uuid() });

function valuesOf(child: Child): Partial<Record<string, string>> {
  return {
    lastName: child.lastName,
    firstName: child.firstName,
    middleName: child.middleName ?? '',
    birthDate: formatDate(child.birthDate),
    sex: child.sex,
    snils: child.snils ?? '',
    documentType: child.documentType,
    documentSeries: child.documentSeries,
    documentNumber: child.documentNumber,
    documentIssuedAt: formatDate(child.documentIssuedAt),
    documentIssuedBy: child.documentIssuedBy,
    municipalityId: String(child.municipalityId),
    registrationAddress: child.registrationAddress,
  };
}

/**
 * What the card says of a confirmed certificate's funding, told by the funding module through the composition root
 * (it depends on children, not the other way round). Without it the card says the seed's «не осуществляется».
 */
export type FundingSummary = (
  actor: Parameters<ChildrenService['listOf']>[0],
  childId: string,
) => Promise<{ line: string; action?: string } | null>;

export interface ChildrenRoutesOptions {
  fundingSummary?: FundingSummary;
  accounts: AccountsService;
  children: ChildrenService;
  certificates: CertificatesService;
  reference: ReferenceService;
  secureCookies: boolean;
}

export function childrenRoutes({
  fundingSummary,
  accounts,
  children,
  certificates,
  reference,
  secureCookies,
}: ChildrenRoutesOptions) {
  const settings = { secure: secureCookies };

  /** The page that says why an action on the child is closed and who can help (200: nothing went wrong). */
  async function closed(
    reply: FastifyReply,
    child: Child,
    reason: 'confirmed_edit' | 'confirmed_delete' | 'has_applications',
  ) {
    const municipality = await reference.getMunicipality(child.municipalityId);
    return sendPage(reply, <ClosedActionPage child={child} reason={reason} municipality={municipality} />);
  }

  return (app: FastifyInstance) => {
    // Шаг 6: the «Дети» tab.
    app.get('/cabinet/children', access('user'), async (request, reply) => {
      const user = userOf(request);
      const [list, profile] = await Promise.all([children.listOf(user), accounts.ownProfile(user)]);
      const issued = await certificates.forChildren(
        user,
        list.map((child) => child.id),
      );
      const cards = await Promise.all(
        list.map(async (child) => {
          const certificate = issued.get(child.id);
          const funding =
            fundingSummary && certificate?.status === 'active' ? await fundingSummary(user, child.id) : null;
          return { child, certificate, funding };
        }),
      );
      const suggestSelf = profile?.applicantKind === 'teen' && !list.some((child) => child.isSelf);
      return sendPage(reply, <ChildrenTab cards={cards} suggestSelf={suggestSelf} />);
    });

    app.get<{ Querystring: { self?: string } }>(
      '/cabinet/children/new',
      access('user'),
      async (request, reply) => {
        const user = userOf(request);
        const profile = request.query.self === '1' ? await accounts.ownProfile(user) : null;
        const values =
          profile?.applicantKind === 'teen'
            ? {
                self: 'yes',
                lastName: profile.lastName,
                firstName: profile.firstName,
                middleName: profile.middleName ?? '',
                birthDate: profile.birthDate ? formatDate(profile.birthDate) : '',
                municipalityId: String(profile.municipalityId),
                documentType: 'passport',
              }
            : { municipalityId: profile ? String(profile.municipalityId) : '' };
        return sendPage(
          reply,
          <ChildFormPage action="/cabinet/children" title="Данные ребёнка" values={values} />,
        );
      },
    );

    app.post('/cabinet/children', access('user'), async (request, reply) => {
      const user = userOf(request);
      const values = inputFields(request.body);
      const parsed = childSchema.safeParse(values);
      const show = (errors: Partial<Record<string, string>>) =>
        sendPage(
          reply,
          <ChildFormPage action="/cabinet/children" title="Данные ребёнка" values={values} errors={errors} />,
          400,
        );
      if (!parsed.success) return show(fieldErrors(parsed.error));
      const profile = values.self === 'yes' ? await accounts.ownProfile(user) : null;
      const result = await children.add(user, parsed.data, auditContextOf(request), {
        isSelf: profile?.applicantKind === 'teen',
      });
      if (!result.ok) return show(result.errors);
      setFlash(reply, `Данные ребёнка ${fullName(result.child, 'genitive')} сохранены.`, settings);
      return reply.redirect('/cabinet/children', 303);
    });

    app.get('/cabinet/children/:id/edit', access('user'), async (request, reply) => {
      const user = userOf(request);
      const params = idParams.safeParse(request.params);
      const child = params.success ? await children.getOwned(user, params.data.id) : null;
      if (!child) return sendPage(reply, <NotFoundPage />, 404);
      if (child.dataStatus === 'confirmed') return closed(reply, child, 'confirmed_edit');
      return sendPage(
        reply,
        <ChildFormPage
          action={`/cabinet/children/${child.id}`}
          title="Изменить данные ребёнка"
          values={valuesOf(child)}
        />,
      );
    });

    app.post('/cabinet/children/:id', access('user'), async (request, reply) => {
      const user = userOf(request);
      const params = idParams.safeParse(request.params);
      // Whose child it is comes first: someone else's child is not found, whatever the form holds.
      const owned = params.success ? await children.getOwned(user, params.data.id) : null;
      if (!params.success || !owned) return sendPage(reply, <NotFoundPage />, 404);
      const values = inputFields(request.body);
      const action = `/cabinet/children/${params.data.id}`;
      const show = (errors: Partial<Record<string, string>>) =>
        sendPage(
          reply,
          <ChildFormPage action={action} title="Изменить данные ребёнка" values={values} errors={errors} />,
          400,
        );
      const parsed = childSchema.safeParse(values);
      if (!parsed.success) return show(fieldErrors(parsed.error));
      const result = await children.update(user, params.data.id, parsed.data, auditContextOf(request));
      if (result === 'not_found') return sendPage(reply, <NotFoundPage />, 404);
      if (result === 'confirmed') {
        setFlash(
          reply,
          'Подтверждённые данные изменить нельзя. Обратитесь к муниципальному администратору.',
          settings,
        );
        return reply.redirect('/cabinet/children', 303);
      }
      if (!result.ok) return show(result.errors);
      setFlash(reply, 'Изменения сохранены.', settings);
      return reply.redirect('/cabinet/children', 303);
    });

    // Refuses before asking: the warning «нельзя отменить» is shown only when the delete can happen.
    app.get('/cabinet/children/:id/delete', access('user'), async (request, reply) => {
      const user = userOf(request);
      const params = idParams.safeParse(request.params);
      const found = params.success ? await children.removable(user, params.data.id) : null;
      if (!found) return sendPage(reply, <NotFoundPage />, 404);
      if (found.refusal === 'confirmed') return closed(reply, found.child, 'confirmed_delete');
      if (found.refusal === 'has_applications') return closed(reply, found.child, 'has_applications');
      return sendPage(reply, <DeleteChildPage child={found.child} />);
    });

    app.post('/cabinet/children/:id/delete', access('user'), async (request, reply) => {
      const user = userOf(request);
      const params = idParams.safeParse(request.params);
      const result = params.success
        ? await children.remove(user, params.data.id, auditContextOf(request))
        : 'not_found';
      if (result === 'not_found') return sendPage(reply, <NotFoundPage />, 404);
      setFlash(
        reply,
        result === 'deleted'
          ? 'Данные ребёнка удалены.'
          : result === 'has_applications'
            ? 'У ребёнка есть заявки в группы: такие данные удалить нельзя.'
            : 'Подтверждённые данные удалить нельзя. Обратитесь к муниципальному администратору.',
        settings,
      );
      return reply.redirect('/cabinet/children', 303);
    });

    // Шаг 7: «Получить сертификат».
    app.post('/cabinet/children/:id/certificate', access('confirmed'), async (request, reply) => {
      const user = userOf(request);
      const params = idParams.safeParse(request.params);
      const issued = params.success ? await children.getCertificate(user, params.data.id) : null;
      if (!issued) return sendPage(reply, <NotFoundPage />, 404);
      setFlash(
        reply,
        'Сертификат выдан. Чтобы активировать его, подтвердите данные ребёнка лично.',
        settings,
      );
      return reply.redirect('/cabinet/children', 303);
    });

    // «подтвердить данные»: the in-person procedure.
    app.get('/cabinet/children/:id/confirm', access('user'), async (request, reply) => {
      const user = userOf(request);
      const params = idParams.safeParse(request.params);
      const child = params.success ? await children.getOwned(user, params.data.id) : null;
      if (!child) return sendPage(reply, <NotFoundPage />, 404);
      const [issued, municipality] = await Promise.all([
        certificates.forChildren(user, [child.id]),
        reference.getMunicipality(child.municipalityId),
      ]);
      return sendPage(
        reply,
        <ConfirmProcedurePage child={child} certificate={issued.get(child.id)} municipality={municipality} />,
      );
    });
  };
}
