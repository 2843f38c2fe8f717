import type { ApplicationStatus } from './places.js';

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
