import { renderEmail } from '../../platform/mail/template.js';
import { formatRoubles } from './money.js';

/** Letters about a certificate's funding: granted (at once or from the queue), queued, and the period's end. */
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

  /** The rollover funded the certificate again in the next period (ADR 0039). */
  renewed: (
    to: string,
    baseUrl: string,
    childName: string,
    period: string,
    amountKopecks: number,
    expiredKopecks: number,
  ) =>
    renderEmail(
      to,
      {
        subject: `Сертификат профинансирован на ${period}`,
        paragraphs: [
          `На сертификат ребёнка (${childName}) начислен номинал на ${period}: ${formatRoubles(amountKopecks)}.`,
          expiredKopecks > 0
            ? `Неизрасходованный остаток прошлого учебного года (${formatRoubles(expiredKopecks)}) не переносится: так устроено персонифицированное финансирование.`
            : 'Остаток прошлого учебного года не переносится: номинал начисляется заново на каждый учебный год.',
          'Договоры прошлого учебного года закончились; чтобы продолжить занятия, подайте заявку на программу нового учебного года.',
        ],
        action: { label: 'Открыть личный кабинет', url: `${baseUrl}/cabinet/children` },
      },
      baseUrl,
    ),

  /** The rollover carried the certificate into the next period's queue: the quota is full there. */
  renewedQueued: (to: string, baseUrl: string, childName: string, period: string, position: number) =>
    renderEmail(
      to,
      {
        subject: `Финансирование сертификата на ${period}: вы в очереди`,
        paragraphs: [
          `Учебный год закончился. Заявление на финансирование сертификата ребёнка (${childName}) перенесено на ${period} в прежнем порядке очереди. Лимит сертификатов исчерпан, вы ${position}-й в очереди.`,
          'Когда место освободится, сертификат будет переведён автоматически, и мы пришлём письмо. Пока сертификат — сертификат учёта: можно записываться на бесплатные программы.',
        ],
        action: { label: 'Открыть личный кабинет', url: `${baseUrl}/cabinet/children` },
      },
      baseUrl,
    ),

  /** The period closed and the next is not open (or funds no category for the child): учёт until it is. */
  periodEnded: (to: string, baseUrl: string, childName: string, period: string, expiredKopecks: number) =>
    renderEmail(
      to,
      {
        subject: `Финансирование сертификата за ${period} завершено`,
        paragraphs: [
          `${period} закончился, и финансирование сертификата ребёнка (${childName}) за него завершено.${expiredKopecks > 0 ? ` Неизрасходованный остаток (${formatRoubles(expiredKopecks)}) не переносится.` : ''}`,
          'Сейчас сертификат — сертификат учёта. Когда муниципалитет откроет финансирование на новый учебный год, сертификат будет профинансирован снова автоматически, если лимит позволит, и мы пришлём письмо.',
        ],
        action: { label: 'Открыть личный кабинет', url: `${baseUrl}/cabinet/children` },
      },
      baseUrl,
    ),

  /** A request still queued when the period closed, with no open next period to carry it into. */
  withdrawn: (to: string, baseUrl: string, childName: string, period: string) =>
    renderEmail(
      to,
      {
        subject: 'Заявление на финансирование сертификата отозвано',
        paragraphs: [
          `${period} закончился, а очередь на финансирование сертификата ребёнка (${childName}) до вас не дошла: заявление отозвано.`,
          'Когда муниципалитет откроет финансирование на новый учебный год, подайте заявление снова в личном кабинете.',
        ],
        action: { label: 'Открыть личный кабинет', url: `${baseUrl}/cabinet/children` },
      },
      baseUrl,
    ),
};
