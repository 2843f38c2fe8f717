import { asSentence } from '../../platform/grammar/index.js';
import { renderEmail } from '../../platform/mail/template.js';

/** The letters about a child's data; `childName` is the official ФИО in the genitive («Кузнецова Ильи Андреевича»). */
export const childEmails = {
  dataConfirmed: (to: string, baseUrl: string, childName: string) =>
    renderEmail(
      to,
      {
        subject: 'Данные ребёнка подтверждены — сертификат активирован',
        paragraphs: [
          `Данные ребёнка ${childName} подтверждены, сертификат дополнительного образования активирован.`,
          'Теперь можно записываться на программы в навигаторе.',
        ],
        action: { label: 'Открыть личный кабинет', url: `${baseUrl}/cabinet/children` },
      },
      baseUrl,
    ),

  dataRejected: (to: string, baseUrl: string, childName: string, reason: string) =>
    renderEmail(
      to,
      {
        subject: 'Данные ребёнка не подтверждены',
        paragraphs: [
          `Данные ребёнка ${childName} не подтверждены. Причина: ${asSentence(reason)}`,
          'Исправьте данные в личном кабинете и снова обратитесь для подтверждения с документами.',
        ],
        action: { label: 'Исправить данные', url: `${baseUrl}/cabinet/children` },
      },
      baseUrl,
    ),
};
