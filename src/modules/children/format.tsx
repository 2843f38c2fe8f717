import { formatDate } from '../../platform/views/format.js';
import { municipalityName } from '../reference/index.js';
import type { Child } from './service.js';

/** «Орлов Александр Игоревич». */
export function fullName(child: Pick<Child, 'lastName' | 'firstName' | 'middleName'>): string {
  return [child.lastName, child.firstName, child.middleName].filter(Boolean).join(' ');
}

/** «Свидетельство о рождении II-МП № 123456». */
export function documentName(
  child: Pick<Child, 'documentType' | 'documentSeries' | 'documentNumber'>,
): string {
  const kind = child.documentType === 'passport' ? 'Паспорт' : 'Свидетельство о рождении';
  return `${kind} ${child.documentSeries} № ${child.documentNumber}`;
}

/** The child's data as the parent entered it: the same list for the parent's card and the operator's page. */
export function ChildFacts({ child }: { child: Child }) {
  return (
    <>
      <dt>Дата рождения</dt>
      <dd>{formatDate(child.birthDate)}</dd>
      <dt>Пол</dt>
      <dd>{child.sex === 'male' ? 'Мужской' : 'Женский'}</dd>
      <dt>СНИЛС</dt>
      <dd>
        {child.snils ? child.snils.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, '$1-$2-$3 $4') : 'не указан'}
      </dd>
      <dt>Документ</dt>
      <dd>
        {documentName(child)}, выдан {formatDate(child.documentIssuedAt)}, {child.documentIssuedBy}
      </dd>
      <dt>Адрес регистрации</dt>
      <dd>
        {municipalityName(child.municipalityId)}, {child.registrationAddress}
      </dd>
    </>
  );
}
