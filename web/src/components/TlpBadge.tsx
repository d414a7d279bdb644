import { t } from '../strings';

export type TlpLevel = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';

/** The Traffic Light Protocol marking of an object, always shown with its words (not colour alone). */
export function TlpBadge({ tlp }: { tlp: TlpLevel | string }) {
  const cls = 'tlp tlp-' + tlp.toLowerCase().replace('+', '-');
  return (
    <span className={cls} title={t('tlp.title', { tlp })} aria-label={t('tlp.title', { tlp })}>
      TLP:{tlp}
    </span>
  );
}
