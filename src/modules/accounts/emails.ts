import { REGION } from '../../platform/region.js';
import { renderEmail } from '../../platform/mail/template.js';

/** The letters of the accounts module, in the seed's words where it has them. */
export const accountEmails = {
  confirmRegistration: (to: string, baseUrl: string, code: string) =>
    renderEmail(
      to,
      {
        // The seed's words, which parents look for, without its raw address in quotes; what to do after an em dash.
        subject: `Вы зарегистрированы в навигаторе дополнительного образования ${REGION.nameGenitive} — подтвердите адрес электронной почты`,
        paragraphs: [
          'Пожалуйста, подтвердите получение этого письма по следующей ссылке, иначе некоторые возможности будут вам недоступны.',
        ],
        action: { label: 'Подтвердить адрес электронной почты', url: `${baseUrl}/verify/email?code=${code}` },
        after: [
          'Ссылка действует 72 часа. Если вы не регистрировались в навигаторе, просто не отвечайте на это письмо.',
        ],
      },
      baseUrl,
    ),

  alreadyRegistered: (to: string, baseUrl: string) =>
    renderEmail(
      to,
      {
        subject: 'Попытка повторной регистрации в навигаторе дополнительного образования',
        paragraphs: [
          'Кто-то (возможно, вы) попытался зарегистрироваться в навигаторе с этим адресом электронной почты. Учётная запись с этим адресом уже есть, вторая не создана.',
          'Чтобы войти, используйте свой пароль. Если вы его не помните, восстановите его.',
        ],
        action: { label: 'Восстановить пароль', url: `${baseUrl}/password/forgot` },
        after: ['Если это были не вы, ничего делать не нужно: ваша учётная запись в безопасности.'],
      },
      baseUrl,
    ),

  passwordReset: (to: string, baseUrl: string, code: string) =>
    renderEmail(
      to,
      {
        subject: 'Восстановление пароля в навигаторе дополнительного образования',
        paragraphs: ['Вы запросили восстановление пароля. Чтобы задать новый пароль, перейдите по ссылке.'],
        action: { label: 'Задать новый пароль', url: `${baseUrl}/password/reset?code=${code}` },
        after: [
          'Ссылка действует 1 час. Если вы не запрашивали восстановление, просто не отвечайте на это письмо.',
        ],
      },
      baseUrl,
    ),

  staffInvitation: (to: string, baseUrl: string, code: string) =>
    renderEmail(
      to,
      {
        subject: 'Вам создана учётная запись сотрудника в навигаторе дополнительного образования',
        paragraphs: [
          'Для вас создана учётная запись сотрудника навигатора. Чтобы войти, задайте свой пароль по ссылке.',
        ],
        action: { label: 'Задать пароль', url: `${baseUrl}/password/reset?code=${code}` },
        after: [
          'Ссылка действует 72 часа. Если вы не ждали этого письма, сообщите региональному координатору.',
        ],
      },
      baseUrl,
    ),

  passwordChanged: (to: string, baseUrl: string) =>
    renderEmail(
      to,
      {
        subject: 'Пароль в навигаторе дополнительного образования изменён',
        paragraphs: [
          'Пароль вашей учётной записи только что изменён, все другие входы завершены.',
          'Если это были не вы, сразу восстановите пароль и обратитесь к муниципальному администратору.',
        ],
        action: { label: 'Восстановить пароль', url: `${baseUrl}/password/forgot` },
      },
      baseUrl,
    ),

  confirmNewEmail: (to: string, baseUrl: string, code: string) =>
    renderEmail(
      to,
      {
        subject: 'Подтвердите новый адрес электронной почты в навигаторе',
        paragraphs: [
          'Вы указали этот адрес как новый адрес электронной почты в навигаторе дополнительного образования. Адрес сменится, когда вы перейдёте по ссылке.',
        ],
        action: { label: 'Подтвердить новый адрес', url: `${baseUrl}/verify/email?code=${code}` },
        after: ['Ссылка действует 72 часа. Если вы ничего не меняли, просто не отвечайте на это письмо.'],
      },
      baseUrl,
    ),

  emailChanged: (to: string, newAddress: string, baseUrl: string, undoCode: string) =>
    renderEmail(
      to,
      {
        subject: 'Адрес электронной почты в навигаторе изменён',
        paragraphs: [
          `Адрес электронной почты вашей учётной записи изменён на ${newAddress}. Письма навигатора теперь приходят туда, и входить нужно с новым адресом.`,
          'Если это были не вы, верните прежний адрес по ссылке: все входы будут завершены, а затем задайте новый пароль.',
        ],
        action: { label: 'Вернуть прежний адрес', url: `${baseUrl}/email/undo?code=${undoCode}` },
        after: ['Ссылка действует 7 дней.'],
      },
      baseUrl,
    ),

  emailChangeRequested: (to: string, baseUrl: string) =>
    renderEmail(
      to,
      {
        subject: 'Запрошена смена адреса электронной почты в навигаторе',
        paragraphs: [
          'В вашей учётной записи запрошена смена адреса электронной почты. Адрес сменится только после подтверждения по ссылке, отправленной на новый адрес, во время входа в вашу учётную запись.',
          'Если это были не вы, смените пароль: ссылка на новый адрес перестанет действовать, а все другие входы будут завершены.',
        ],
      },
      baseUrl,
    ),
};
