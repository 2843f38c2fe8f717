import { countOf } from '../../platform/views/format.js';
import type { ApplicationStatus } from './places.js';

const PLACE_FORMS = ['место', 'места', 'мест'] as const;

/** «свободно 3 места из 20», «мест нет». After «из» the count takes the genitive: «из 21 места», «из 20 мест». */
export function freePlaces(capacity: number, taken: number): string {
  const free = Math.max(0, capacity - taken);
  const ofCapacity = `из ${capacity} ${capacity % 10 === 1 && capacity % 100 !== 11 ? 'места' : 'мест'}`;
  if (free === 0) return `мест нет (план приёма: ${countOf(capacity, PLACE_FORMS)})`;
  return `свободно ${countOf(free, PLACE_FORMS)} ${ofCapacity}`;
}

/** The statuses as parents and providers read them. */
export const STATUS_LABELS: Record<ApplicationStatus, string> = {
  new: 'Новая',
  accepted: 'Принята',
  rejected: 'Отклонена',
  queued: 'В очереди',
  offered: 'Предложено место',
  declined: 'Отказ',
  expired: 'Истёк срок',
  cancelled: 'Отменена заявителем',
  expelled: 'Отчислен',
  completed: 'Обучение завершено',
};

/** Tag colours of the statuses (layout CSS: tag--success, tag--warning, tag--danger; plain grey otherwise). */
export const STATUS_TONE: Record<ApplicationStatus, '' | 'success' | 'warning' | 'danger'> = {
  new: 'warning',
  accepted: 'success',
  rejected: 'danger',
  queued: 'warning',
  offered: 'success',
  declined: '',
  expired: '',
  cancelled: '',
  expelled: '',
  completed: '',
};

/** «Вы 3-й в очереди». */
export const queueText = (place: number) => `Вы ${place}-й в очереди`;

const moscowTime = new Intl.DateTimeFormat('ru-RU', {
  timeZone: 'Europe/Moscow',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** «24.11.2026, 15:30» in the region's time. */
export function formatMoment(moment: Date): string {
  return moscowTime.format(moment);
}
