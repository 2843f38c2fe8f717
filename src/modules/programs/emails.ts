import { renderEmail } from '../../platform/mail/template.js';

/** Letters to an organization's staff about its programs. */
export const catalogEmails = {
  published: (to: string, baseUrl: string, programName: string, programId: string) =>
    renderEmail(
      to,
      {
        subject: `Программа опубликована: ${programName}`,
        paragraphs: [
          `Модератор проверил программу «${programName}» и опубликовал её в навигаторе.`,
          'Родители видят её в каталоге и могут записываться в группы с открытым приёмом заявок.',
        ],
        action: { label: 'Открыть программу', url: `${baseUrl}/staff/org/programs/${programId}` },
      },
      baseUrl,
    ),

  returned: (to: string, baseUrl: string, programName: string, programId: string, comment: string) =>
    renderEmail(
      to,
      {
        subject: `Программа ожидает правки: ${programName}`,
        paragraphs: [
          `Модератор вернул программу «${programName}» на доработку.`,
          `Комментарий модератора: ${comment}`,
          'Исправьте программу и снова отправьте её на модерацию.',
        ],
        action: { label: 'Исправить программу', url: `${baseUrl}/staff/org/programs/${programId}` },
      },
      baseUrl,
    ),

  toModerate: (
    to: string,
    baseUrl: string,
    programName: string,
    programId: string,
    organization: string,
    revision: boolean,
  ) =>
    renderEmail(
      to,
      {
        subject: `На модерации: ${programName}`,
        paragraphs: [
          revision
            ? `${organization} изменила опубликованную программу «${programName}». До вашего решения в каталоге остаётся опубликованная версия.`
            : `${organization} отправила на модерацию программу «${programName}».`,
          'Проверьте программу и опубликуйте её или верните на доработку с комментарием.',
        ],
        action: { label: 'Открыть программу', url: `${baseUrl}/staff/moderation/${programId}` },
      },
      baseUrl,
    ),

  archived: (to: string, baseUrl: string, programName: string, programId: string) =>
    renderEmail(
      to,
      {
        subject: `Программа перенесена в архив: ${programName}`,
        paragraphs: [
          `Модератор перенёс программу «${programName}» в архив. В каталоге она больше не показывается.`,
          'Если это ошибка, свяжитесь с муниципальным администратором.',
        ],
        action: { label: 'Открыть программу', url: `${baseUrl}/staff/org/programs/${programId}` },
      },
      baseUrl,
    ),
};
