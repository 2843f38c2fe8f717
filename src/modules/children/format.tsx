import { addressWithMunicipality, officialName, type GrammaticalCase } from '../../platform/grammar/index.js';
import { formatDate } from '../../platform/views/format.js';
import { municipalityName } from '../reference/index.js';
import type { Child } from './service.js';

/** «Орлов Александр Игоревич»; in a case by the child's sex: fullName(child, 'genitive') → «Орлова Александра Игоревича». */
export function fullName(
  child: Pick<Child, 'lastName' | 'firstName' | 'middleName'> & Partial<Pick<Child, 'sex'>>,
  gcase: GrammaticalCase = 'nominative',
): string {
  return officialName(child, gcase);
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
      <dd>{addressWithMunicipality(municipalityName(child.municipalityId), child.registrationAddress)}</dd>
    </>
  );
}
