import { SelectField, TextAreaField, TextField, type FieldErrors } from '../../platform/views/forms.js';
import { CATEGORY_LABELS } from './labels.js';
import { ORGANIZATION_CATEGORIES } from './schema.js';
import type { Organization } from './service.js';

export type FormValues = Partial<Record<string, string>>;

/** An organization as the form's values (numbers as text, nulls as empty). */
export function formValuesOf(organization: Organization): FormValues {
  return Object.fromEntries(
    Object.entries(organization).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '',
    ]),
  );
}

/**
 * The descriptive profile's fields: the organization's own form (/staff/org/profile) and the administrators'
 * (/staff/organizations/…) show the same ones.
 */
export function OrganizationProfileFields({ values, errors }: { values: FormValues; errors: FieldErrors }) {
  return (
    <>
      <TextField
        name="name"
        label="Полное наименование"
        value={values.name}
        error={errors.name}
        maxLength={300}
      />
      <TextField
        name="shortName"
        label="Краткое наименование"
        hint="Так организацию называют в каталоге"
        value={values.shortName}
        error={errors.shortName}
        maxLength={120}
      />
      <SelectField
        name="category"
        label="Тип организации"
        hint="По нему родители находят организацию в разделе «Организации»"
        placeholder="Выберите тип"
        value={values.category}
        error={errors.category}
        options={ORGANIZATION_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))}
      />
      <TextField
        name="kind"
        label="Организационно-правовая форма"
        hint="Например, муниципальное бюджетное учреждение дополнительного образования"
        value={values.kind}
        error={errors.kind}
      />
      <TextField
        name="head"
        label="Руководитель"
        hint="Должность и ФИО, например «Директор Иванова Мария Петровна»"
        value={values.head}
        error={errors.head}
      />
      <TextField
        name="address"
        label="Фактический адрес"
        hint="Куда приходят дети; его показывают каталог и карта"
        value={values.address}
        error={errors.address}
        maxLength={300}
      />
      <TextField
        name="legalAddress"
        label="Юридический адрес (необязательно)"
        hint="Если он отличается от фактического"
        value={values.legalAddress}
        error={errors.legalAddress}
        maxLength={300}
      />
      <fieldset class="fieldset">
        <legend class="label">Координаты на карте (необязательно)</legend>
        <TextField
          name="latitude"
          label="Широта"
          hint="Например, 54.7826"
          inputMode="text"
          value={values.latitude}
          error={errors.latitude}
          width="medium"
          maxLength={20}
        />
        <TextField
          name="longitude"
          label="Долгота"
          hint="Например, 32.0453"
          inputMode="text"
          value={values.longitude}
          error={errors.longitude}
          width="medium"
          maxLength={20}
        />
      </fieldset>
      <TextField
        name="phone"
        label="Телефон"
        type="tel"
        value={values.phone}
        error={errors.phone}
        width="medium"
        maxLength={60}
      />
      <TextField
        name="email"
        label="Электронная почта"
        type="email"
        value={values.email}
        error={errors.email}
        width="medium"
        maxLength={254}
      />
      <TextField name="website" label="Сайт" value={values.website} error={errors.website} maxLength={300} />
      <TextField
        name="workingHours"
        label="Часы работы"
        hint="Например, пн–пт 9:00–18:00"
        value={values.workingHours}
        error={errors.workingHours}
      />
      <TextAreaField
        name="description"
        label="Об организации"
        value={values.description}
        error={errors.description}
        maxLength={3000}
      />
    </>
  );
}

/** ИНН, КПП, ОГРН: only the municipal administrator and the coordinator fill them in. */
export function RequisiteFields({ values, errors }: { values: FormValues; errors: FieldErrors }) {
  return (
    <fieldset class="fieldset">
      <legend class="label">Реквизиты</legend>
      <TextField
        name="inn"
        label="ИНН"
        hint="10 цифр у юридического лица, 12 у ИП"
        inputMode="numeric"
        value={values.inn}
        error={errors.inn}
        width="medium"
        maxLength={20}
      />
      <TextField
        name="kpp"
        label="КПП"
        hint="9 знаков; у ИП нет — оставьте пустым"
        value={values.kpp}
        error={errors.kpp}
        width="medium"
        maxLength={20}
      />
      <TextField
        name="ogrn"
        label="ОГРН или ОГРНИП"
        hint="ОГРН — 13 цифр, ОГРНИП у ИП — 15"
        inputMode="numeric"
        value={values.ogrn}
        error={errors.ogrn}
        width="medium"
        maxLength={20}
      />
    </fieldset>
  );
}
