import { Layout } from '../../platform/views/layout.js';
import { countOf } from '../../platform/views/format.js';
import { PROGRAM_FORMS } from '../catalog/index.js';
import type { ProgramCard } from '../catalog/index.js';
import { ProgramCardItem } from '../catalog/index.js';
import type { Direction } from '../reference/index.js';

export interface HomePageProps {
  directions: (Direction & { programCount: number })[];
  /** For a signed-in user: open programs in their municipality, for their children's ages. */
  recommendations: ProgramCard[];
  municipalityName: string | null;
  forChildren: boolean;
  /** Who reads the steps: a guest starts with «Регистрация», a signed-in parent is past it. */
  reader: 'guest' | 'unconfirmed' | 'signed_in';
}

export function HomePage({
  directions,
  recommendations,
  municipalityName,
  forChildren,
  reader,
}: HomePageProps) {
  return (
    <Layout
      title="Кружки и секции для детей"
      description="Поиск кружков, секций и программ дополнительного образования для детей, запись и сертификат."
    >
      <section class="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">Найдите кружок или секцию для ребёнка</h1>
        <p class="lead">
          Программы дополнительного образования в вашем городе и районе: техника, спорт, искусство, наука,
          туризм и многое другое.
        </p>
        <form class="search" action="/programs" method="get" role="search">
          <label class="label" for="q">
            Что ищете?
          </label>
          <div class="search__row">
            <input
              class="input"
              id="q"
              name="q"
              type="search"
              maxLength={200}
              placeholder="Например, робототехника или танцы"
              autocomplete="off"
            />
            <button class="button" type="submit">
              Найти
            </button>
          </div>
        </form>
        <p>
          <a href="/organizations">Организации области</a>: школы, центры творчества, школы искусств,
          спортивные школы
        </p>
      </section>

      {recommendations.length > 0 && (
        <section aria-labelledby="recommendations-title">
          <h2 id="recommendations-title">
            Идёт запись{municipalityName ? `: ${municipalityName}` : ''}
            {forChildren ? ', по возрасту ваших детей' : ''}
          </h2>
          <ul class="results">
            {recommendations.map((program) => (
              <ProgramCardItem key={program.id} program={program} headingLevel={3} />
            ))}
          </ul>
          <p>
            <a href="/programs?open=1">Все программы с открытой записью</a>
          </p>
        </section>
      )}

      <section aria-labelledby="directions-title">
        <h2 id="directions-title">Направленности</h2>
        <ul class="cards">
          {directions.map((direction) => (
            <li class="card" key={direction.id}>
              <h3 class="card__title">
                <a href={`/programs?direction=${direction.code}`}>{direction.name}</a>
              </h3>
              <p>{direction.description}</p>
              <p class="muted">{countOf(direction.programCount, PROGRAM_FORMS)}</p>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="certificate-title" class="steps">
        <h2 id="certificate-title">Как получить сертификат дополнительного образования</h2>
        <ol>
          {reader === 'guest' && (
            <li>
              Нажмите «<a href="/register">Регистрация</a>» и заполните форму.
            </li>
          )}
          {reader !== 'signed_in' && (
            <li>Подтвердите адрес электронной почты по ссылке из письма — оно приходит сразу.</li>
          )}
          <li>
            В личном кабинете на вкладке «<a href="/cabinet/children">Дети</a>» добавьте ребёнка и нажмите
            «Получить сертификат».
          </li>
          <li>Подтвердите данные ребёнка лично у муниципального администратора.</li>
        </ol>
      </section>
    </Layout>
  );
}
