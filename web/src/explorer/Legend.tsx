/** Legend of the current colour mode, plus the marks every mode shares (centre, direction, thickness). */
import { t } from '../strings';
import { NODE_DIM, NO_VALUE, PATH_COLOR, RISK_GRADIENT_CSS, TAG_COLORS, TAG_ORDER, TYPOLOGY_OTHER, TYPOLOGY_PALETTE, CENTER_COLOR } from './colors';
import type { ColorMode } from './types';

interface Props {
  mode: ColorMode;
  typologies: readonly string[];
  pathActive: boolean;
  timeFiltered: boolean;
  hasCenter: boolean;
}

function Swatch({ color, ring }: { color: string; ring?: boolean }) {
  return <span className={ring ? 'swatch ring' : 'swatch'} style={ring ? { borderColor: color } : { background: color }} aria-hidden="true" />;
}

export function Legend({ mode, typologies, pathActive, timeFiltered, hasCenter }: Props) {
  const shown = typologies.slice(0, TYPOLOGY_PALETTE.length);
  return (
    <details className="explorer-legend" open data-testid="explorer-legend">
      <summary>{t('explorer.legend.summary', { mode: t(`explorer.legend.${mode}`) })}</summary>
      {mode === 'risk' ? (
        <div className="explorer-gradient">
          <span className="bar" style={{ background: RISK_GRADIENT_CSS }} aria-hidden="true" />
          <span className="ends">
            <span>{t('explorer.legend.riskLow')}</span>
            <span>{t('explorer.legend.riskHigh')}</span>
          </span>
        </div>
      ) : (
        <ul>
          {mode === 'typology' ? (
            <>
              {shown.map((ty, i) => (
                <li key={ty}>
                  <Swatch color={TYPOLOGY_PALETTE[i]!} />
                  {ty}
                </li>
              ))}
              {typologies.length > shown.length ? (
                <li>
                  <Swatch color={TYPOLOGY_OTHER} />
                  {t('explorer.legend.otherTypologies', { count: typologies.length - shown.length })}
                </li>
              ) : null}
              <li>
                <Swatch color={NO_VALUE} />
                {t('explorer.legend.noTypology')}
              </li>
            </>
          ) : (
            TAG_ORDER.map((c) => (
              <li key={c}>
                <Swatch color={TAG_COLORS[c]} />
                {t(`explorer.tag.${c}`)}
              </li>
            ))
          )}
        </ul>
      )}
      <ul className="explorer-legend-common">
        {hasCenter ? (
          <li>
            <Swatch color={CENTER_COLOR} ring />
            {t('explorer.legend.center')}
          </li>
        ) : null}
        {pathActive ? (
          <li>
            <Swatch color={PATH_COLOR} />
            {t('explorer.legend.path')}
          </li>
        ) : null}
        {timeFiltered ? (
          <li>
            <Swatch color={NODE_DIM} />
            {t('explorer.legend.dimmed')}
          </li>
        ) : null}
        <li className="muted">{t('explorer.legend.edges')}</li>
      </ul>
    </details>
  );
}
