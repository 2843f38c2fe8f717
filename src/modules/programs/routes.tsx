import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { access, operatorOf } from '../../platform/http/access.js';
import { auditContextOf } from '../../platform/http/audit-context.js';
import { setFlash } from '../../platform/http/security.js';
import { inputFields } from '../../platform/validation/input.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import { fieldErrors } from '../../platform/views/forms.js';
import { countOf, regionToday } from '../../platform/views/format.js';
import { sendPage } from '../../platform/views/render.js';
import {
  formValuesOf,
  organizationSchema,
  parseOrganizationForm,
  type OrganizationsService,
} from '../organizations/index.js';
import { idParams } from '../../platform/validation/fields.js';
import type { ReferenceService } from '../reference/index.js';
import type { ApplicationsService } from '../applications/index.js';
import { buildTemplate, parseImport } from './import.js';
import type { Operator, ProviderService } from './service.js';
import { workingContent } from './service.js';
import {
  GroupFormPage,
  ImportPage,
  ModerationProgramPage,
  ModerationQueuePage,
  OrgHomePage,
  OrgProfilePage,
  ProgramFormPage,
  ProviderProgramPage,
} from './views.js';
import {
  groupFormValues,
  groupSchema,
  programFormValues,
  programSchema,
  publishSchema,
  returnSchema,
} from './schemas.js';

const groupParams = z.object({ id: z.uuid(), groupId: z.uuid() });
const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

/** The provider's cabinet (/staff/org) and program moderation (/staff/moderation). */
export function providerRoutes({
  provider,
  organizations,
  applications,
  reference,
  secureCookies,
}: {
  provider: ProviderService;
  /** The count of new applications on the cabinet's first page (an aggregate within the applications policy). */
  applications: Pick<ApplicationsService, 'workload'>;
  /** The organization's profile is read and written through its module (its rule lives there). */
  organizations: Pick<OrganizationsService, 'ownProfile' | 'update'>;
  reference: ReferenceService;
  secureCookies: boolean;
}) {
  const settings = { secure: secureCookies };
  const lists = () => Promise.all([reference.listDirections(), reference.listSpecializations()]);

  /** The program named in the URL if the service's policy lets the operator read it in the cabinet, else a 404 page. */
  async function cabinetProgram(request: FastifyRequest, reply: FastifyReply) {
    const operator = operatorOf(request);
    const params = idParams.safeParse(request.params);
    const found = params.success ? await provider.getProgram(operator, params.data.id) : null;
    if (!found) {
      void sendPage(reply, <NotFoundPage />, 404);
      return null;
    }
    return { operator, found };
  }

  return (app: FastifyInstance) => {
    app.get('/staff/org', access('org_staff'), async (request, reply) => {
      const operator = operatorOf(request);
      const [organization, programs, workload] = await Promise.all([
        organizations.ownProfile(operator),
        provider.listPrograms(operator),
        applications.workload(operator),
      ]);
      if (!organization) return sendPage(reply, <NotFoundPage />, 404);
      return sendPage(
        reply,
        <OrgHomePage
          organization={organization}
          programs={programs}
          newApplications={workload.newApplications}
        />,
      );
    });

    app.get('/staff/org/profile', access('org_staff'), async (request, reply) => {
      const operator = operatorOf(request);
      const organization = await organizations.ownProfile(operator);
      if (!organization) return sendPage(reply, <NotFoundPage />, 404);
      return sendPage(reply, <OrgProfilePage values={formValuesOf(organization)} />);
    });

    app.post('/staff/org/profile', access('org_staff'), async (request, reply) => {
      const operator = operatorOf(request);
      const organization = await organizations.ownProfile(operator);
      if (!organization) return sendPage(reply, <NotFoundPage />, 404);
      const values = inputFields(request.body);
      const parsed = parseOrganizationForm(organizationSchema, values, false);
      if (!parsed.ok) {
        return sendPage(reply, <OrgProfilePage values={values} errors={parsed.errors} />, 400);
      }
      const saved = await organizations.update(
        operator,
        organization.id,
        parsed.data,
        auditContextOf(request),
      );
      if (!saved) return sendPage(reply, <NotFoundPage />, 404);
      setFlash(reply, 'Профиль организации сохранён.', settings);
      return reply.redirect('/staff/org', 303);
    });

    app.get('/staff/org/programs/new', access('org_staff'), async (_request, reply) => {
      const [directions, specializations] = await lists();
      return sendPage(
        reply,
        <ProgramFormPage values={{}} directions={directions} specializations={specializations} />,
      );
    });

    app.post('/staff/org/programs', access('org_staff'), async (request, reply) => {
      const operator = operatorOf(request);
      const values = inputFields(request.body);
      const parsed = programSchema.safeParse(values);
      if (!parsed.success) {
        const [directions, specializations] = await lists();
        return sendPage(
          reply,
          <ProgramFormPage
            values={values}
            errors={fieldErrors(parsed.error)}
            directions={directions}
            specializations={specializations}
          />,
          400,
        );
      }
      const id = await provider.createProgram(operator, parsed.data);
      if (!id) return sendPage(reply, <NotFoundPage />, 404);
      setFlash(
        reply,
        'Программа сохранена как черновик. Добавьте группы и отправьте её на модерацию.',
        settings,
      );
      return reply.redirect(`/staff/org/programs/${id}`, 303);
    });

    app.get('/staff/org/programs/:id', access('org_staff'), async (request, reply) => {
      const owned = await cabinetProgram(request, reply);
      if (!owned) return reply;
      const { found } = owned;
      const [directions, specializations] = await lists();
      return sendPage(
        reply,
        <ProviderProgramPage
          {...found}
          directions={directions}
          specializations={specializations}
          today={regionToday()}
        />,
      );
    });

    app.get('/staff/org/programs/:id/edit', access('org_staff'), async (request, reply) => {
      const owned = await cabinetProgram(request, reply);
      if (!owned) return reply;
      const { found } = owned;
      const [directions, specializations] = await lists();
      return sendPage(
        reply,
        <ProgramFormPage
          programId={found.program.id}
          published={found.program.status === 'published'}
          values={programFormValues(workingContent(found.program))}
          directions={directions}
          specializations={specializations}
        />,
      );
    });

    app.post('/staff/org/programs/:id', access('org_staff'), async (request, reply) => {
      const owned = await cabinetProgram(request, reply);
      if (!owned) return reply;
      const { operator, found } = owned;
      const values = inputFields(request.body);
      const parsed = programSchema.safeParse(values);
      if (!parsed.success) {
        const [directions, specializations] = await lists();
        return sendPage(
          reply,
          <ProgramFormPage
            programId={found.program.id}
            published={found.program.status === 'published'}
            values={values}
            errors={fieldErrors(parsed.error)}
            directions={directions}
            specializations={specializations}
          />,
          400,
        );
      }
      const result = await provider.updateProgram(operator, found.program.id, parsed.data);
      if (result === 'not_found') return sendPage(reply, <NotFoundPage />, 404);
      setFlash(
        reply,
        result === 'revision'
          ? 'Изменения отправлены на модерацию. До решения модератора в каталоге опубликованная версия.'
          : result === 'locked'
            ? 'Программу сейчас нельзя изменить: она на модерации или в архиве.'
            : 'Программа сохранена.',
        settings,
      );
      return reply.redirect(`/staff/org/programs/${found.program.id}`, 303);
    });

    app.post('/staff/org/programs/:id/submit', access('org_staff'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = idParams.safeParse(request.params);
      const result = params.success ? await provider.submit(operator, params.data.id) : 'not_found';
      if (result === 'not_found') return sendPage(reply, <NotFoundPage />, 404);
      const messages = {
        submitted: 'Программа отправлена на модерацию. Письмо о решении придёт на вашу почту.',
        no_groups: 'Добавьте хотя бы одну группу: без групп на программу нельзя записаться.',
        not_allowed: 'Эту программу сейчас нельзя отправить на модерацию.',
      } as const;
      setFlash(reply, messages[result], settings);
      return reply.redirect(`/staff/org/programs/${params.data!.id}`, 303);
    });

    for (const [action, archived] of [
      ['archive', true],
      ['restore', false],
    ] as const) {
      app.post(`/staff/org/programs/:id/${action}`, access('org_staff'), async (request, reply) => {
        const owned = await cabinetProgram(request, reply);
        if (!owned) return reply;
        const { operator, found } = owned;
        const changed = await provider.setArchived(operator, found.program.id, archived);
        setFlash(
          reply,
          changed
            ? archived
              ? 'Программа перенесена в архив и больше не показывается в каталоге.'
              : 'Программа возвращена в черновики.'
            : 'Ничего не изменилось.',
          settings,
        );
        return reply.redirect(`/staff/org/programs/${found.program.id}`, 303);
      });
    }

    app.get('/staff/org/programs/:id/groups/new', access('org_staff'), async (request, reply) => {
      const owned = await cabinetProgram(request, reply);
      if (!owned) return reply;
      const { operator, found } = owned;
      const content = workingContent(found.program);
      return sendPage(
        reply,
        <GroupFormPage
          programId={found.program.id}
          programName={content.name}
          values={{
            ageFrom: String(content.ageFrom),
            ageTo: String(content.ageTo),
            address: (await organizations.ownProfile(operator))?.address ?? '',
            lessonMinutes: '45',
          }}
        />,
      );
    });

    const saveGroup = async (request: FastifyRequest, reply: FastifyReply, groupId: string | null) => {
      const operator = operatorOf(request);
      const params = (groupId ? groupParams : idParams).safeParse(request.params);
      const found = params.success ? await provider.getProgram(operator, params.data.id) : null;
      if (!found) return sendPage(reply, <NotFoundPage />, 404);
      const values = inputFields(request.body);
      const parsed = groupSchema.safeParse(values);
      const page = (errors: Record<string, string>) =>
        sendPage(
          reply,
          <GroupFormPage
            programId={found.program.id}
            programName={workingContent(found.program).name}
            {...(groupId ? { groupId } : {})}
            values={values}
            errors={errors}
          />,
          400,
        );
      if (!parsed.success) return page(fieldErrors(parsed.error) as Record<string, string>);
      const result = await provider.saveGroup(operator, found.program.id, groupId, parsed.data);
      if (!result) return sendPage(reply, <NotFoundPage />, 404);
      if (!result.ok) return page(result.errors);
      // Places added to a full group went to its queue first, in the same transaction.
      const offered = result.offered;
      setFlash(
        reply,
        offered > 0
          ? `Группа сохранена. Новые места предложены первым в очереди: ${offered}.`
          : 'Группа сохранена.',
        settings,
      );
      return reply.redirect(`/staff/org/programs/${found.program.id}`, 303);
    };

    app.post('/staff/org/programs/:id/groups', access('org_staff'), (request, reply) =>
      saveGroup(request, reply, null),
    );

    app.get('/staff/org/programs/:id/groups/:groupId', access('org_staff'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = groupParams.safeParse(request.params);
      const found = params.success ? await provider.getProgram(operator, params.data.id) : null;
      const group = found?.groups.find((g) => g.id === params.data?.groupId);
      if (!found || !group) return sendPage(reply, <NotFoundPage />, 404);
      return sendPage(
        reply,
        <GroupFormPage
          programId={found.program.id}
          programName={workingContent(found.program).name}
          groupId={group.id}
          values={groupFormValues(group)}
        />,
      );
    });

    app.post('/staff/org/programs/:id/groups/:groupId', access('org_staff'), (request, reply) => {
      const params = groupParams.safeParse(request.params);
      return saveGroup(
        request,
        reply,
        params.success ? params.data.groupId : '00000000-0000-0000-0000-000000000000',
      );
    });

    app.post(
      '/staff/org/programs/:id/groups/:groupId/delete',
      access('org_staff'),
      async (request, reply) => {
        const operator = operatorOf(request);
        const params = groupParams.safeParse(request.params);
        const result = params.success
          ? await provider.deleteGroup(operator, params.data.id, params.data.groupId)
          : 'not_found';
        if (result === 'not_found') return sendPage(reply, <NotFoundPage />, 404);
        setFlash(
          reply,
          result === 'deleted' ? 'Группа удалена.' : 'В группу уже подавали заявки: удалить её нельзя.',
          settings,
        );
        return reply.redirect(`/staff/org/programs/${params.data!.id}`, 303);
      },
    );

    // ---- Import from XLSX. Multipart is parsed before the CSRF check, so `_csrf` is read like a form's.
    void app.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 5 },
      throwFileSizeLimit: true,
    });

    app.get('/staff/org/import', access('org_staff'), (_request, reply) => {
      return sendPage(reply, <ImportPage />);
    });

    app.get('/staff/org/import/template.xlsx', access('org_staff'), async (_request, reply) => {
      reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      reply.header('content-disposition', 'attachment; filename="programs-template.xlsx"');
      return reply.send(await buildTemplate());
    });

    app.post(
      '/staff/org/import',
      {
        ...access('org_staff'),
        // A file over the limit is refused while the form is read; say so on the same page.
        errorHandler: (error: Error & { code?: string }, _request, reply) => {
          if (error.code !== 'FST_REQ_FILE_TOO_LARGE') throw error;
          void sendPage(
            reply,
            <ImportPage fileError="Файл больше 5 МБ: разделите его на несколько и загрузите по очереди" />,
            413,
          );
        },
      },
      async (request, reply) => {
        const operator = operatorOf(request);
        const file = (request.body as Record<string, unknown> | undefined)?.file;
        if (!Buffer.isBuffer(file) || file.length === 0) {
          return sendPage(reply, <ImportPage fileError="Выберите файл Excel (.xlsx) с программами" />, 400);
        }
        const parsed = await parseImport(file);
        if (parsed.errors.length) return sendPage(reply, <ImportPage errors={parsed.errors} />, 400);
        const totals = await provider.importPrograms(operator, parsed.programs);
        if (!totals) return sendPage(reply, <NotFoundPage />, 404);
        setFlash(
          reply,
          `Загружено: ${countOf(totals.programs, ['программа', 'программы', 'программ'])}, ${countOf(totals.groups, ['группа', 'группы', 'групп'])}. Программы сохранены как черновики: проверьте и отправьте на модерацию.`,
          settings,
        );
        return reply.redirect('/staff/org', 303);
      },
    );

    // ---- Moderation

    app.get('/staff/moderation', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      return sendPage(reply, <ModerationQueuePage items={await provider.moderationQueue(operator)} />);
    });

    const moderationPage = async (
      reply: FastifyReply,
      operator: Operator,
      id: string,
      form?: { values: Record<string, string | undefined>; errors: Record<string, string | undefined> },
    ) => {
      const found = await provider.openForModeration(operator, id);
      if (!found) return sendPage(reply, <NotFoundPage />, 404);
      const [directions, specializations] = await lists();
      return sendPage(
        reply,
        <ModerationProgramPage
          {...found}
          directions={directions}
          specializations={specializations}
          today={regionToday()}
          {...(form ?? {})}
        />,
        form ? 400 : 200,
      );
    };

    app.get('/staff/moderation/:id', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = idParams.safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      return moderationPage(reply, operator, params.data.id);
    });

    app.post('/staff/moderation/:id/publish', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = idParams.safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      const values = inputFields(request.body);
      const parsed = publishSchema.safeParse(values);
      if (!parsed.success) {
        return moderationPage(reply, operator, params.data.id, { values, errors: fieldErrors(parsed.error) });
      }
      const result = await provider.publish(operator, params.data.id, parsed.data.registry);
      if (result === 'not_found') return sendPage(reply, <NotFoundPage />, 404);
      setFlash(
        reply,
        result === 'published'
          ? 'Программа опубликована. Организации отправлено письмо.'
          : 'Решение по программе уже принято.',
        settings,
      );
      return reply.redirect('/staff/moderation', 303);
    });

    // A decision without a form: archive.
    app.post('/staff/moderation/:id/archive', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = idParams.safeParse(request.params);
      const result = params.success
        ? await provider.archiveByModerator(operator, params.data.id)
        : 'not_found';
      if (result === 'not_found') return sendPage(reply, <NotFoundPage />, 404);
      setFlash(reply, 'Программа перенесена в архив. Организации отправлено письмо.', settings);
      return reply.redirect('/staff/moderation', 303);
    });

    app.post('/staff/moderation/:id/return', access('municipal_admin'), async (request, reply) => {
      const operator = operatorOf(request);
      const params = idParams.safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      const values = inputFields(request.body);
      const parsed = returnSchema.safeParse(values);
      if (!parsed.success) {
        return moderationPage(reply, operator, params.data.id, { values, errors: fieldErrors(parsed.error) });
      }
      const result = await provider.returnForChanges(operator, params.data.id, parsed.data.comment);
      if (result === 'not_found') return sendPage(reply, <NotFoundPage />, 404);
      setFlash(
        reply,
        result === 'returned'
          ? 'Программа возвращена на доработку. Организации отправлено письмо с комментарием.'
          : 'Решение по программе уже принято.',
        settings,
      );
      return reply.redirect('/staff/moderation', 303);
    });
  };
}
