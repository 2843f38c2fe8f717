import type { Section } from './service.js';

/** Up to three series are drawn (`chartSeries`); their order is their colour (public/app.css `.chart__bar--N`). */
const MAX_SERIES = 3;
const WIDTH = 400;
const LABEL = 18;
const BAR = 16;
const GAP = 12;
const LEGEND = 22;
/** Room right of the longest bar for its number. */
const VALUE_ROOM = 64;
/** A label longer than this is cut in the chart; the table beside it has it whole. */
const LABEL_CHARS = 48;

export const formatValue = (value: number | null, percent = false) =>
  value === null
    ? 'нет данных'
    : percent
      ? `${value.toLocaleString('ru-RU', { maximumFractionDigits: 1 })} %`
      : value.toLocaleString('ru-RU');

const cut = (text: string) => (text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text);

/**
 * A horizontal bar chart drawn on the server (no JavaScript): each category's name on its own line with its bars
 * under it, the number at the end of each bar, so that it reads on a 390 px phone as well as on a desktop. The
 * SVG is an image with a title and a description that says every number; the table next to it holds the same.
 */
export function BarChart({ section }: { section: Section }) {
  const series = section.series.slice(0, Math.min(MAX_SERIES, section.chartSeries ?? 1));
  const max = Math.max(1, ...series.flatMap((s) => s.values.map((value) => value ?? 0)));
  const legend = series.length > 1 ? LEGEND * series.length : 0;
  const rowHeight = LABEL + BAR * series.length + GAP;
  const height = legend + rowHeight * section.categories.length + 4;
  const scale = (WIDTH - VALUE_ROOM) / max;
  const titleId = `chart-${section.id}-title`;
  const descId = `chart-${section.id}-desc`;
  const description = section.categories
    .map(
      (category, index) =>
        `${category}: ${series.map((s) => `${s.title.toLowerCase()} ${formatValue(s.values[index] ?? null, s.percent)}`).join(', ')}`,
    )
    .join('; ');
  return (
    <figure class="chart">
      <svg
        class="chart__svg"
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        viewBox={`0 0 ${WIDTH} ${height}`}
        width={WIDTH}
        height={height}
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id={titleId}>{section.title}</title>
        <desc id={descId}>{description || 'Нет данных за выбранный период.'}</desc>
        {series.length > 1 &&
          series.map((s, index) => (
            <g key={s.title}>
              <rect
                class={`chart__bar chart__bar--${index}`}
                x="0"
                y={index * LEGEND + 3}
                width="14"
                height="14"
              />
              <text class="chart__text" x="20" y={index * LEGEND + 15}>
                {s.title}
              </text>
            </g>
          ))}
        {section.categories.map((category, row) => {
          const top = legend + row * rowHeight;
          return (
            <g key={`${row}`}>
              <text class="chart__text chart__text--label" x="0" y={top + 13}>
                {cut(category)}
              </text>
              {series.map((s, index) => {
                const value = s.values[row] ?? null;
                const width = value === null ? 0 : Math.max(value > 0 ? 2 : 0, value * scale);
                const y = top + LABEL + index * BAR;
                return (
                  <g key={s.title}>
                    <rect
                      class={`chart__bar chart__bar--${index}`}
                      x="0"
                      y={y}
                      width={width.toFixed(1)}
                      height={BAR - 3}
                    />
                    <text class="chart__text" x={(width + 4).toFixed(1)} y={y + 11}>
                      {formatValue(value, s.percent)}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
