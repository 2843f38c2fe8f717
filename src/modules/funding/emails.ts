import { renderEmail } from '../../platform/mail/template.js';
import { formatRoubles } from './money.js';

/** Letters about a certificate's funding: granted (at once or from the queue) and queued. */
export const fundingEmails = {
  funded: (to: string, baseUrl: string, childName: string, amountKopecks: number) =>
    renderEmail(
      to,
      {
        subject: 'Сертификат переведён в сертификат персонифицированного финансирования',
        paragraphs: [
          `Сертификат ребёнка (${childName}) теперь оплачивает занятия: на него начислен номинал ${formatRoubles(amountKopecks)} до конца учебного года.`,
          'Выберите программу с пометкой «Оплата сертификатом» и подайте заявку в навигаторе.',
        ],
        action: { label: 'Открыть личный кабинет', url: `${baseUrl}/cabinet/children` },
      },
      baseUrl,
    ),

  queued: (to: string, baseUrl: string, childName: string, position: number) =>
    renderEmail(
      to,
      {
        subject: 'Заявление на финансирование сертификата принято — вы в очереди',
        paragraphs: [
          `Заявление на финансирование сертификата ребёнка (${childName}) принято. Лимит сертификатов исчерпан, вы ${position}-й в очереди.`,
          'Когда место освободится, сертификат будет переведён автоматически, и мы пришлём письмо.',
        ],
        action: { label: 'Открыть личный кабинет', url: `${baseUrl}/cabinet/children` },
      },
      baseUrl,
    ),
};
