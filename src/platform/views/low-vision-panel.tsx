import { usePage } from './context.js';
import { CsrfField } from './forms.js';
import {
  LOW_VISION_LABELS,
  LOW_VISION_OPTIONS,
  safeBackPath,
  type LowVision,
  type LowVisionSetting,
} from './low-vision.js';

/** The settings page and the form every button of the panel posts to (the home module's route). */
export const LOW_VISION_URL = '/low-vision';
const FORM_ID = 'low-vision-form';
/** The fragment the panel's buttons come back to, which unfolds the panel. */
export const LOW_VISION_PANEL_FRAGMENT = `#${FORM_ID}`;

/**
 * The header's switch: a link to the settings page while the version is off (no token, so a guest's cached
 * catalog page stays the same for everyone), «Обычная версия» posting the panel's form while it is on.
 */
export function LowVisionSwitch() {
  const { lowVision, path } = usePage();
  if (lowVision) {
    return (
      <button type="submit" form={FORM_ID} name="set" value="off" class="link-button">
        Обычная версия
      </button>
    );
  }
  return (
    <a href={`${LOW_VISION_URL}?${new URLSearchParams({ back: safeBackPath(path) }).toString()}`}>
      Версия для слабовидящих
    </a>
  );
}

/**
 * The panel at the top of every page while the version is on, folded (at 200 % its buttons fill a phone's
 * screen): each button changes one setting at once and comes back to this page with the panel open (the
 * browser unfolds a <details> holding the address's #fragment), the pressed one is the current value.
 * The header's «Обычная версия» belongs to this form too.
 */
export function LowVisionPanel({ settings }: { settings: LowVision }) {
  const { path } = usePage();
  const settingNames = Object.keys(LOW_VISION_OPTIONS) as LowVisionSetting[];
  return (
    <details class="lv-panel">
      <summary class="container lv-panel__summary">Настройки версии для слабовидящих</summary>
      <form id={FORM_ID} method="post" action={LOW_VISION_URL} class="container lv-panel__inner">
        <CsrfField />
        <input type="hidden" name="back" value={safeBackPath(path)} />
        {settingNames.map((setting) => (
          <fieldset key={setting} class="lv-panel__group">
            <legend>{LOW_VISION_LABELS[setting].title}</legend>
            {LOW_VISION_OPTIONS[setting].map((value) => (
              <button
                key={value}
                type="submit"
                name="set"
                value={`${setting}:${value}`}
                aria-pressed={settings[setting] === value ? 'true' : 'false'}
              >
                {(LOW_VISION_LABELS[setting].values as Record<string, string>)[value]}
              </button>
            ))}
          </fieldset>
        ))}
      </form>
    </details>
  );
}
