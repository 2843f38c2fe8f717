import type { FastifyInstance } from 'fastify';
import { access } from '../../platform/http/access.js';
import { CsrfField, RadioGroup } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import {
  LOW_VISION_DEFAULTS,
  LOW_VISION_LABELS,
  LOW_VISION_OPTIONS,
  pickLowVision,
  safeBackPath,
  saveLowVision,
  type LowVision,
  type LowVisionSetting,
} from '../../platform/views/low-vision.js';
import { LOW_VISION_PANEL_FRAGMENT, LOW_VISION_URL } from '../../platform/views/low-vision-panel.js';
import { sendPage } from '../../platform/views/render.js';

/**
 * «Версия для слабовидящих» (ADR 0021): the settings page, and the one form the page and the panel on every
 * page post to. Everyone may use it; the settings live in the browser's cookie only.
 */
export function lowVisionRoutes({ secureCookies }: { secureCookies: boolean }) {
  return (app: FastifyInstance) => {
    app.get(LOW_VISION_URL, access('public'), async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      return sendPage(reply, <LowVisionPage settings={request.lowVision} back={safeBackPath(query.back)} />);
    });

    app.post(LOW_VISION_URL, access('public'), async (request, reply) => {
      const body = isRecord(request.body) ? request.body : {};
      const back = safeBackPath(body.back);
      if (body.set === 'off') {
        saveLowVision(reply, null, secureCookies);
        return reply.redirect(back, 303);
      }
      // The whole form of the settings page, or one panel button «setting:value»; bad values change nothing.
      const [setting, value] = typeof body.set === 'string' ? body.set.split(':', 2) : [];
      const settings: LowVision = {
        ...(request.lowVision ?? LOW_VISION_DEFAULTS),
        ...pickLowVision(body),
        ...(setting ? pickLowVision({ [setting]: value }) : {}),
      };
      saveLowVision(reply, settings, secureCookies);
      // From the panel, back to the page with the panel unfolded, to change another setting.
      return reply.redirect(setting ? `${back.split('#')[0]}${LOW_VISION_PANEL_FRAGMENT}` : back, 303);
    });
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function LowVisionPage({ settings, back }: { settings: LowVision | null; back: string }) {
  const current = settings ?? LOW_VISION_DEFAULTS;
  const settingNames = Object.keys(LOW_VISION_OPTIONS) as LowVisionSetting[];
  return (
    <Layout title="Версия для слабовидящих">
      <h1>Версия для слабовидящих</h1>
      <p class="lead">
        Выберите размер шрифта, цвета, интервалы и покажите или скройте изображения. Настройки сохранятся в
        этом браузере для всех страниц сайта; вернуться к обычному виду можно кнопкой «Обычная версия» вверху
        страницы.
      </p>
      <form method="post" action={LOW_VISION_URL}>
        <CsrfField />
        <input type="hidden" name="back" value={back} />
        {settingNames.map((setting) => (
          <RadioGroup
            key={setting}
            name={setting}
            label={LOW_VISION_LABELS[setting].title}
            value={current[setting]}
            options={LOW_VISION_OPTIONS[setting].map((value) => ({
              value,
              label: (LOW_VISION_LABELS[setting].values as Record<string, string>)[value]!,
            }))}
          />
        ))}
        <button class="button" type="submit">
          {settings ? 'Сохранить настройки' : 'Включить версию для слабовидящих'}
        </button>
      </form>
      <p>
        <a href={back}>Вернуться без изменений</a>
      </p>
    </Layout>
  );
}
