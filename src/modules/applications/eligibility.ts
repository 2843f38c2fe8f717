import { ageOn } from '../../platform/validation/fields.js';
import { countOf, formatDate } from '../../platform/views/format.js';
import type { CertificateQuote, CertificateQuoteRefusal } from './funding-port.js';

/**
 * Whether a child may apply to a group, and why not: the ONE rule the service refuses by (service.apply) and the
 * child chooser shows by (service.eligibility), so that the page never offers what the service would refuse.
 */

/** Why an application cannot be filed; `message` is what the parent or the operator reads. */
export interface Refusal {
  ok: false;
  code:
    | 'group_not_found'
    | 'child_not_found'
    | 'not_published'
    | 'enrolment_not_open'
    | 'enrolment_closed'
    | 'age'
    | 'no_certificate'
    | 'certificate_inactive'
    | 'confirmation_required'
    | 'duplicate'
    | 'limit'
    | 'funding'
    | CertificateQuoteRefusal
    | 'not_funded';
  message: string;
}

/** Refusals that concern the group, not the child: every child gets them alike. */
export const GROUP_REFUSALS: readonly Refusal['code'][] = [
  'group_not_found',
  'not_published',
  'enrolment_not_open',
  'enrolment_closed',
];

export const refuse = (code: Refusal['code'], message: string): Refusal => ({ ok: false, code, message });

/** Everything the rule looks at, for one child and one group (service.ts loads it in one query). */
export interface EligibilityFacts {
  programStatus: string;
  financing: 'free' | 'certificate' | 'paid';
  enrolmentFrom: string;
  enrolmentTo: string;
  studyStart: string;
  ageFrom: number;
  ageTo: number;
  birthDate: string;
  dataStatus: 'unconfirmed' | 'confirmed' | 'rejected';
  certificateStatus: 'awaiting_confirmation' | 'active' | 'suspended' | 'closed' | null;
  /** A live application of this child to this group. */
  appliedToGroup: boolean;
  /** The name of another group of the same program the child has a live application to. */
  appliedToProgramGroup: string | null;
  /** The municipality's number of free programs per child in this education year (its funding period); null: none. */
  freeLimit: number | null;
  /** Free programs the child entered this education year, and whether this program is one of them. */
  freeUsed: number;
  programUsedThisYear: boolean;
  /** A certified program: what the child's certificate would pay, or why it cannot (the funding port); null: none. */
  funding?: CertificateQuote | null;
}

const years = (n: number) => countOf(n, ['год', 'года', 'лет']);

/** The limit of free programs per education year; the service asks it again under a lock when filing. */
export function limitRefusal(
  facts: Pick<EligibilityFacts, 'financing' | 'freeLimit' | 'freeUsed' | 'programUsedThisYear'>,
): Refusal | null {
  if (facts.freeLimit === null || facts.financing !== 'free') return null;
  if (facts.freeUsed < facts.freeLimit || facts.programUsedThisYear) return null;
  return refuse(
    'limit',
    `В этом учебном году ребёнок уже записан на ${facts.freeUsed} из ${facts.freeLimit} бесплатных программ, которые муниципалитет оплачивает одному ребёнку. Новая бесплатная программа станет доступна в следующем учебном году или после отказа от одной из заявок.`,
  );
}

/** Every reason this child cannot apply to this group today, in the order the service refuses by; [] = may apply. */
export function refusalsFor(facts: EligibilityFacts, today: string): Refusal[] {
  const reasons: Refusal[] = [];
  if (facts.programStatus !== 'published')
    reasons.push(
      refuse('not_published', 'Программа сейчас не принимает заявки: она не опубликована в каталоге.'),
    );
  if (today < facts.enrolmentFrom)
    reasons.push(
      refuse('enrolment_not_open', `Приём заявок в эту группу откроется ${formatDate(facts.enrolmentFrom)}.`),
    );
  if (today > facts.enrolmentTo)
    reasons.push(
      refuse('enrolment_closed', `Приём заявок в эту группу закончился ${formatDate(facts.enrolmentTo)}.`),
    );
  // The age that counts is the one the child will have when the lessons start.
  const age = ageOn(
    facts.birthDate,
    new Date(`${facts.studyStart > today ? facts.studyStart : today}T12:00:00Z`),
  );
  if (age < facts.ageFrom || age > facts.ageTo)
    reasons.push(
      refuse(
        'age',
        `Группа для детей от ${facts.ageFrom} до ${years(facts.ageTo)}, а ребёнку к началу занятий ${formatDate(facts.studyStart)} будет ${years(age)}. Выберите группу по возрасту.`,
      ),
    );
  if (!facts.certificateStatus)
    reasons.push(
      refuse(
        'no_certificate',
        'Для записи нужен сертификат: получите его на вкладке «Дети» кнопкой «Получить сертификат».',
      ),
    );
  // A certificate held back because another family registered the same child reads to the parent as
  // «awaiting confirmation» (certificates.certificateForParent); the refusal says no more than that either:
  // the data must be confirmed in person, where the municipal administrator sorts out the match.
  else if (facts.certificateStatus === 'suspended' && facts.dataStatus !== 'confirmed')
    reasons.push(
      refuse(
        'confirmation_required',
        'Чтобы записаться в эту группу, подтвердите данные ребёнка лично: на вкладке «Дети» нажмите «подтвердить данные» — там сказано, куда обратиться и какие документы взять.',
      ),
    );
  else if (facts.certificateStatus === 'suspended' || facts.certificateStatus === 'closed')
    reasons.push(
      refuse(
        'certificate_inactive',
        'Сертификат ребёнка приостановлен или закрыт. Обратитесь к муниципальному администратору.',
      ),
    );
  if (facts.appliedToGroup) reasons.push(refuse('duplicate', 'У ребёнка уже есть заявка в эту группу.'));
  else if (facts.appliedToProgramGroup !== null)
    reasons.push(
      refuse(
        'duplicate',
        `У ребёнка уже есть заявка на эту программу в группу «${facts.appliedToProgramGroup}».`,
      ),
    );
  const limit = limitRefusal(facts);
  if (limit) reasons.push(limit);
  if (facts.funding && !facts.funding.ok) reasons.push(refuse(facts.funding.code, facts.funding.message));
  return reasons;
}
