/** Time slider with play/pause: edges appear when their first transfer happens; keyboard operable. */
import { useEffect, useId, useState } from 'react';
import { formatTime, t } from '../strings';
import { SLIDER_MAX, type ExplorerController } from './controller';

const PLAY_STEP = 5; // of SLIDER_MAX per tick: a full replay takes 20 s
const PLAY_TICK_MS = 100;

interface Props {
  ctl: ExplorerController | null;
  slider: number;
  timeMin: number | null;
  timeMax: number | null;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function TimeBar({ ctl, slider, timeMin, timeMax }: Props) {
  const [playing, setPlaying] = useState(false);
  const id = useId();
  const enabled = ctl !== null && timeMin !== null && timeMax !== null && timeMax > timeMin;

  useEffect(() => {
    if (!playing || !ctl) return;
    const timer = setInterval(() => {
      const v = ctl.getSnapshot().slider;
      if (v >= SLIDER_MAX) {
        setPlaying(false);
        return;
      }
      ctl.setSlider(Math.min(SLIDER_MAX, v + PLAY_STEP));
    }, PLAY_TICK_MS);
    return () => clearInterval(timer);
  }, [playing, ctl]);

  const current = enabled ? (slider >= SLIDER_MAX ? t('explorer.time.all', { time: formatTime(iso(timeMax)) }) : formatTime(iso(ctl.sliderTime(slider)))) : t('explorer.time.none');

  const toggle = () => {
    if (!ctl) return;
    if (!playing && slider >= SLIDER_MAX) ctl.setSlider(0);
    setPlaying(!playing);
  };

  return (
    <div className="explorer-timebar" role="group" aria-labelledby={`${id}-label`}>
      <button type="button" onClick={toggle} disabled={!enabled} aria-pressed={playing} data-testid="explorer-play">
        {playing ? t('explorer.time.pause') : t('explorer.time.play')}
      </button>
      <label id={`${id}-label`} htmlFor={`${id}-range`} className="explorer-timebar-label">
        {t('explorer.time.label')}
      </label>
      <span className="explorer-time-edge mono">{enabled ? formatTime(iso(timeMin)) : ''}</span>
      <input
        id={`${id}-range`}
        type="range"
        min={0}
        max={SLIDER_MAX}
        step={1}
        value={slider}
        disabled={!enabled}
        aria-valuetext={current}
        onChange={(e) => {
          setPlaying(false);
          ctl?.setSlider(Number(e.target.value));
        }}
        data-testid="explorer-time-slider"
      />
      <span className="explorer-time-edge mono">{enabled ? formatTime(iso(timeMax)) : ''}</span>
      <output htmlFor={`${id}-range`} className="explorer-time-current" aria-live="off" data-testid="explorer-time-current">
        {current}
      </output>
    </div>
  );
}
