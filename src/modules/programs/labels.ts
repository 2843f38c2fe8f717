/** Moderation states as the provider and the moderator see them. */
export const STATUS_LABELS = {
  draft: 'Черновик',
  moderation: 'На модерации',
  published: 'Опубликовано',
  needs_changes: 'Ожидает правки',
  archived: 'Архив',
} as const;
