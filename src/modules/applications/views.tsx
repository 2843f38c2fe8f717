import { CabinetLayout } from '../../platform/views/cabinet.js';
import { ContactFacts } from '../../platform/views/contact.js';
import { CsrfField, ErrorSummary, RadioGroup, type FieldErrors } from '../../platform/views/forms.js';
import { countOf, formatDate } from '../../platform/views/format.js';
import { Layout } from '../../platform/views/layout.js';
import { freePlaces, scheduleText } from '../../platform/views/format.js';
import type { PublicGroup } from '../catalog/index.js';
import { formatCertificateNumber } from '../certificates/index.js';
import { formatRoubles, splitLine } from '../funding/index.js';
import type { CertificateQuote } from './funding-port.js';
import { formatMoment, queueText, STATUS_LABELS, STATUS_TONE } from './labels.js';
import type { ApplicationStatus } from './places.js';
import type { ApplicationEvent, ApplicationView } from './queries.js';
import { GROUP_REFUSALS, type Refusal } from './eligibility.js';

export function StatusTag({ status }: { status: ApplicationStatus }) {
  const tone = STATUS_TONE[status];
  return <span class={`tag${tone ? ` tag--${tone}` : ''}`}>{STATUS_LABELS[status]}</span>;
}

/** The state of an application in one line: the place in the queue, the offer's deadline, the reason. */
export function StatusDetails({ application }: { application: ApplicationView }) {
  if (application.status === 'queued' && application.queuePlace)
    return <strong>{queueText(application.queuePlace)}</strong>;
  if (application.status === 'offered' && application.offerExpiresAt)
    return <strong>Подтвердите место до {formatMoment(application.offerExpiresAt)} (мск)</strong>;
  if ((application.status === 'rejected' || application.status === 'expelled') && application.reason)
    return <>Причина: {application.reason}</>;
  return null;
}

export interface ChildChoice {
  id: string;
  name: string;
  certificateNumber: string | null;
  /** Why this child cannot apply to the group (eligibility.ts); empty: it can. */
  refusals: Refusal[];
}

const rubles = (amount: number) => `${amount.toLocaleString('ru-RU')} ₽`;

/** What a month of lessons costs and who pays it, from the program's financing and the group's prices. */
export function costOf({ group, program }: Pick<PublicGroup, 'group' | 'program'>): {
  perMonth: string;
  payer: string;
} {
  if (program.financing === 'free') return { perMonth: 'бесплатно', payer: 'бюджет муниципалитета' };
  if (program.financing === 'certificate')
    return {
      perMonth:
        group.monthlyCostCertificate === null
          ? 'по сертификату'
          : `по сертификату · ${rubles(group.monthlyCostCertificate)} в месяц`,
      payer:
        group.monthlyCostOwn === null
          ? 'сертификат дополнительного образования ребёнка'
          : `сертификат ребёнка; без сертификата — семья, ${rubles(group.monthlyCostOwn)} в месяц`,
    };
  const own = group.monthlyCostOwn ?? group.monthlyCostCertificate;
  return {
    perMonth: own === null ? 'платно, цену уточните в организации' : `${rubles(own)} в месяц`,
    payer: 'семья (платная программа)',
  };
}

/** The reasons a child cannot apply, in one sentence for the chooser. */
const reasonsText = (refusals: Refusal[]) => refusals.map((refusal) => refusal.message).join(' ');

function GroupSummary({ group: { group, program, organization } }: { group: PublicGroup }) {
  const cost = costOf({ group, program });
  return (
    <dl class="facts">
      <dt>Программа</dt>
      <dd>
        <a href={`/programs/${program.id}`}>{program.name}</a>
      </dd>
      <dt>Группа</dt>
      <dd>{group.name}</dd>
      <dt>Расписание</dt>
      <dd>{scheduleText(group.schedule)}</dd>
      <dt>Адрес</dt>
      <dd>{group.address}</dd>
      <dt>Начало занятий</dt>
      <dd>{formatDate(group.studyStart)}</dd>
      <dt>Стоимость</dt>
      <dd>{cost.perMonth}</dd>
      <dt>Кто оплачивает</dt>
      <dd>{cost.payer}</dd>
      <dt>Места</dt>
      <dd>
        {group.seatsTaken < group.capacity
          ? freePlaces(group.capacity, group.seatsTaken)
          : 'свободных мест нет — заявка встанет в очередь'}
      </dd>
      <dt>Организация</dt>
      <dd>{organization.shortName}</dd>
    </dl>
  );
}

function InPersonNote({ group: { organization } }: { group: PublicGroup }) {
  return (
    <details class="details">
      <summary>Подать заявление лично в организации</summary>
      <p>
        Возьмите с собой документ, удостоверяющий личность, свидетельство о рождении ребёнка и номер
        сертификата дополнительного образования. Заявление, поданное в организации, появится в вашем личном
        кабинете.
      </p>
      <dl class="facts">
        <ContactFacts
          address={organization.address}
          phone={organization.phone}
          hours={organization.workingHours}
        />
      </dl>
    </details>
  );
}

/** «Записаться»: choose the child (guests and accounts without children are told what to do first). */
export function ApplyPage({
  group,
  signedIn,
  choices,
  childId,
  errors = {},
  refusal,
}: {
  group: PublicGroup;
  signedIn: boolean;
  choices: ChildChoice[];
  childId?: string | undefined;
  errors?: FieldErrors;
  /** Why the application just sent was not filed. */
  refusal?: string | undefined;
}) {
  const action = `/groups/${group.group.id}/apply`;
  // The group's own refusals (closed enrolment, not published) are the same for every child: said once.
  const groupRefusals = (choices[0]?.refusals ?? []).filter((refusal) =>
    GROUP_REFUSALS.includes(refusal.code),
  );
  const eligible = choices.filter((child) => child.refusals.length === 0);
  return (
    <Layout title={`Запись в группу «${group.group.name}»`}>
      <p class="muted">
        <a href={`/programs/${group.program.id}`}>← {group.program.name}</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>Запись в группу «{group.group.name}»</h1>
      {refusal && (
        <div class="panel" role="alert">
          <p>
            <strong>Заявка не подана.</strong> {refusal}
          </p>
        </div>
      )}
      <GroupSummary group={group} />
      {!signedIn ? (
        <p>
          Чтобы записаться онлайн, <a href={`/login?next=${encodeURIComponent(action)}`}>войдите</a> в личный
          кабинет или <a href="/register">зарегистрируйтесь</a>.
        </p>
      ) : choices.length === 0 ? (
        <p>
          Сначала добавьте данные ребёнка и получите сертификат на вкладке{' '}
          <a href="/cabinet/children">«Дети»</a>.
        </p>
      ) : groupRefusals.length > 0 ? (
        <div class="notice" role="note">
          {groupRefusals.map((refusal) => (
            <p key={refusal.code}>{refusal.message}</p>
          ))}
          <p>
            Выберите другую группу в <a href="/programs">каталоге</a>.
          </p>
        </div>
      ) : (
        <form method="get" action={action} novalidate>
          {eligible.length === 0 && (
            <div class="notice" role="note">
              <p>
                <strong>Сейчас никого из детей нельзя записать в эту группу.</strong> Причина указана под
                именем ребёнка.
              </p>
              <p>
                Выберите в <a href="/programs">каталоге</a> группу, которая подходит по возрасту, или сначала
                выполните то, что указано в причине, на вкладке <a href="/cabinet/children">«Дети»</a>.
              </p>
            </div>
          )}
          <RadioGroup
            name="childId"
            label="Кого записать"
            hint={
              eligible.length > 0 && eligible.length < choices.length
                ? 'Кого нельзя записать в эту группу, выбрать нельзя: причина указана под именем.'
                : undefined
            }
            value={childId ?? (eligible.length === 1 ? eligible[0]!.id : undefined)}
            error={errors.childId}
            options={choices.map((child) => ({
              value: child.id,
              label: child.name,
              disabled: child.refusals.length > 0,
              hint:
                child.refusals.length > 0
                  ? `Нельзя записать: ${reasonsText(child.refusals)}`
                  : child.certificateNumber
                    ? `Можно записать · сертификат № ${formatCertificateNumber(child.certificateNumber)}`
                    : 'Можно записать',
            }))}
          />
          {eligible.length > 0 && (
            <button class="button" type="submit">
              Продолжить
            </button>
          )}
        </form>
      )}
      <InPersonNote group={group} />
    </Layout>
  );
}

/** The last step: what will be filed, and the button that files it. */
/** The review step's cost split for a certified program: the month, the contract period, the balance left. */
function CertificateSplit({ quote }: { quote: Extract<CertificateQuote, { ok: true }> }) {
  return (
    <section aria-labelledby="split-title">
      <h2 id="split-title">Оплата сертификатом</h2>
      <p>
        <strong>{splitLine(quote.firstMonth)}.</strong>
      </p>
      <dl class="facts">
        <dt>Срок договора</dt>
        <dd>{countOf(quote.months, ['месяц', 'месяца', 'месяцев'])} в этом учебном году</dd>
        <dt>Сертификат оплатит за весь срок</dt>
        <dd>{formatRoubles(quote.certificateKopecks)}</dd>
        <dt>Семья доплатит за весь срок</dt>
        <dd>{formatRoubles(quote.familyKopecks)}</dd>
        <dt>{quote.fundedNow ? 'Остаток сертификата сейчас' : 'Номинал сертификата до конца года'}</dt>
        <dd>{formatRoubles(quote.balanceKopecks)}</dd>
        <dt>Останется после договора</dt>
        <dd>{formatRoubles(quote.balanceAfterKopecks)}</dd>
      </dl>
      {!quote.fundedNow && (
        <div class="notice">
          <p>
            {quote.room
              ? 'Сертификат ребёнка — сертификат учёта. При подаче заявки он станет сертификатом персонифицированного финансирования: муниципалитет финансирует сертификаты, лимит не исчерпан.'
              : 'Сертификат ребёнка — сертификат учёта, а лимит сертификатов исчерпан. Если подать заявку, сертификат встанет в очередь на финансирование, а заявка подана не будет: подайте её снова, когда придёт письмо о финансировании.'}
          </p>
        </div>
      )}
      <p class="muted">
        Деньги резервируются на сертификате, когда организация примет заявку; если заявку отклонят или вы её
        отмените, ничего не списывается.
      </p>
    </section>
  );
}

export function ConfirmApplyPage({
  group,
  child,
  quote = null,
}: {
  group: PublicGroup;
  child: ChildChoice;
  quote?: CertificateQuote | null;
}) {
  const full = group.group.seatsTaken >= group.group.capacity;
  return (
    <Layout title="Проверьте заявку">
      <p class="muted">
        <a href={`/groups/${group.group.id}/apply?childId=${child.id}`}>← Выбрать другого ребёнка</a>
      </p>
      <h1>Проверьте заявку</h1>
      <dl class="facts">
        <dt>Ребёнок</dt>
        <dd>{child.name}</dd>
        {child.certificateNumber && (
          <>
            <dt>Сертификат</dt>
            <dd>{formatCertificateNumber(child.certificateNumber)}</dd>
          </>
        )}
      </dl>
      <GroupSummary group={group} />
      {quote?.ok && <CertificateSplit quote={quote} />}
      {full && (
        <div class="notice">
          <p>
            Свободных мест в группе нет. Заявка встанет в очередь; когда место освободится, мы предложим его
            по порядку очереди и сообщим письмом.
          </p>
        </div>
      )}
      <form method="post" action={`/groups/${group.group.id}/apply`}>
        <CsrfField />
        <input type="hidden" name="childId" value={child.id} />
        <button class="button" type="submit">
          {full ? 'Встать в очередь' : 'Подтвердить запись'}
        </button>
      </form>
    </Layout>
  );
}

/** The «Заявки» tab: every application with its state (notices are on «Уведомления»). */
export function ApplicationsTab({ applications }: { applications: ApplicationView[] }) {
  return (
    <CabinetLayout tab="applications" title="Заявки">
      <h2>Заявки</h2>
      {applications.length === 0 ? (
        <p>
          У вас пока нет заявок. Найдите программу в <a href="/programs">каталоге</a> и нажмите «Записаться».
        </p>
      ) : (
        <ul class="results">
          {applications.map((application) => (
            <li class="result" key={application.id}>
              <h3 class="result__title">
                <a href={`/cabinet/applications/${application.id}`}>{application.programName}</a>
              </h3>
              <p>
                <StatusTag status={application.status} /> <StatusDetails application={application} />
              </p>
              <p class="muted">
                {application.childName} · группа «{application.groupName}» · {application.organizationName} ·
                подана {formatMoment(application.createdAt)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </CabinetLayout>
  );
}

function History({ events }: { events: ApplicationEvent[] }) {
  return (
    <table class="table">
      <caption>История заявки</caption>
      <thead>
        <tr>
          <th scope="col">Когда</th>
          <th scope="col">Статус</th>
          <th scope="col">Кто</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event, index) => (
          <tr key={index}>
            <td>{formatMoment(event.createdAt)}</td>
            <td>
              {STATUS_LABELS[event.toStatus]}
              {event.reason && <span class="hint"> Причина: {event.reason}</span>}
            </td>
            <td>{event.actor ?? 'автоматически'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export { History as ApplicationHistory };

/** One application for its parent: the state, what can be done now, and the history. */
export function ApplicationPage({
  application,
  events,
}: {
  application: ApplicationView;
  events: ApplicationEvent[];
}) {
  const base = `/cabinet/applications/${application.id}`;
  return (
    <CabinetLayout tab="applications" title={`Заявка: ${application.programName}`}>
      <p class="muted">
        <a href="/cabinet/applications">← Все заявки</a>
      </p>
      <h2>{application.programName}</h2>
      <p>
        <StatusTag status={application.status} /> <StatusDetails application={application} />
      </p>
      <dl class="facts">
        <dt>Ребёнок</dt>
        <dd>{application.childName}</dd>
        <dt>Группа</dt>
        <dd>{application.groupName}</dd>
        <dt>Организация</dt>
        <dd>{application.organizationName}</dd>
        <dt>Адрес занятий</dt>
        <dd>{application.groupAddress}</dd>
        <dt>Начало занятий</dt>
        <dd>{formatDate(application.studyStart)}</dd>
        <dt>Как подана</dt>
        <dd>{application.channel === 'online' ? 'онлайн' : 'лично в организации'}</dd>
      </dl>
      {application.status === 'offered' && (
        <div class="actions-row">
          <form method="post" action={`${base}/take-offer`}>
            <CsrfField />
            <button class="button" type="submit">
              Подтвердить место
            </button>
          </form>
          <a class="button button--secondary" href={`${base}/decline`}>
            Отказаться от места
          </a>
        </div>
      )}
      {(application.status === 'new' || application.status === 'queued') && (
        <p>
          <a class="button button--secondary" href={`${base}/cancel`}>
            Отменить заявку
          </a>
        </p>
      )}
      {application.status === 'accepted' && (
        <p>
          <a class="button button--secondary" href={`${base}/leave`}>
            Подать заявление на отчисление
          </a>
        </p>
      )}
      <History events={events} />
    </CabinetLayout>
  );
}

const QUESTIONS = {
  cancel: {
    title: 'Отменить заявку?',
    text: 'Место в группе или очереди будет передано другим. Подать заявку снова можно, пока идёт приём.',
    button: 'Отменить заявку',
  },
  decline: {
    title: 'Отказаться от места?',
    text: 'Место будет предложено следующему в очереди. Вернуть его будет нельзя.',
    button: 'Отказаться от места',
  },
  leave: {
    title: 'Подать заявление на отчисление?',
    text: 'Ребёнок будет отчислен из группы сразу, а его место предложено следующему в очереди.',
    button: 'Подать заявление на отчисление',
  },
};

export type ParentAction = keyof typeof QUESTIONS;

/** Asks once more before an action that gives the place away. */
export function ConfirmActionPage({
  application,
  action,
}: {
  application: ApplicationView;
  action: ParentAction;
}) {
  const question = QUESTIONS[action];
  const base = `/cabinet/applications/${application.id}`;
  return (
    <CabinetLayout tab="applications" title={question.title}>
      <h2>{question.title}</h2>
      <p>
        {application.programName}, группа «{application.groupName}», {application.childName}.
      </p>
      <p>{question.text}</p>
      <form method="post" action={`${base}/${action}`}>
        <CsrfField />
        <button class="button button--warning" type="submit">
          {question.button}
        </button>{' '}
        <a href={base}>Не сейчас</a>
      </form>
    </CabinetLayout>
  );
}
