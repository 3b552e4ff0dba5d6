/**
 * One row of the recommendation (call sign, kind, status, ETA, distance, position age, why) and the
 * plan summary above the rows: which linkage partners to notify and which needs no unit covers.
 */
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLabel, useLang } from '../i18n';
import { ageText, metres, mmss, UNIT_STATUS_TAG, type Recommendation } from './model';
import { useReasonText } from './reasons';

export function RecRow({ r, i, active, onPick, onAssign }: { r: Recommendation; i: number; active: boolean; onPick: () => void; onAssign: () => void }) {
  const { t } = useTranslation('dispatch');
  const { lang } = useLang();
  const dl = useLabel('dispatch');
  const { reasonOf, caps } = useReasonText();
  return (
    <div
      className={`sw-dc-rec ${active ? 'sw-dc-rec-active' : ''} ${r.plan ? 'sw-dc-rec-plan' : ''}`}
      onClick={onPick}
      onDoubleClick={onAssign}
      data-testid={`rec-${r.unitId}`}
      data-active={active ? 'true' : undefined}
      data-plan={r.plan ?? undefined}
    >
      <span className={`sw-dc-rec-n ${i < 5 ? '' : 'sw-dc-rec-n-off'}`}>{i + 1}</span>
      <div className="sw-dc-rec-body">
        <div className="sw-dc-rec-line">
          <b className="sw-dc-rec-cs" data-testid="rec-callsign">
            {r.callSign}
          </b>
          <span className="sw-muted">{dl('uk_', r.kind)}</span>
          <Tag color={UNIT_STATUS_TAG[r.status] ?? 'default'} style={{ marginInlineEnd: 0 }}>
            {dl('us_', r.status)}
          </Tag>
          {r.plan && (
            <Tooltip title={r.covers?.length ? caps(r.covers) : undefined}>
              <Tag color={r.plan === 'first' ? 'green' : 'cyan'} style={{ marginInlineEnd: 0 }} data-testid="rec-plan">
                {r.plan === 'first' ? t('planFirst') : t('planSpecialist')}
              </Tag>
            </Tooltip>
          )}
          {r.stale && (
            <Tag color="warning" style={{ marginInlineEnd: 0 }} data-testid="rec-stale">
              {r.positionAgeSeconds === null ? t('noPosition') : t('stale')}
            </Tag>
          )}
          {r.diverting && <Tag color="magenta">{t('diverting')}</Tag>}
          {!r.capabilityMatch && <Tag color="default">{t('noCapability')}</Tag>}
          <span style={{ flex: 1 }} />
          <span className="sw-dc-rec-eta" title={t('eta')}>
            {mmss(r.etaSeconds)}
          </span>
        </div>
        <div className="sw-dc-rec-line sw-muted">
          <span>
            {t('distance')} {metres(r.distanceMeters, lang)}
          </span>
          <span>
            {t('posAge')} {r.positionAgeSeconds === null ? '—' : ageText(r.positionAgeSeconds)}
          </span>
        </div>
        <div className="sw-dc-rec-reason" data-testid="rec-reason">
          {reasonOf(r)}
        </div>
      </div>
    </div>
  );
}

/** Linkage partners to notify and needs nobody covers (the same on every row: read from the first). */
export function RecPlanSummary({ first }: { first: Recommendation | undefined }) {
  const { t } = useTranslation('dispatch');
  const { caps, partner } = useReasonText();
  const linkage = first?.linkage ?? [];
  const missing = first?.missingCapabilities ?? [];
  if (!linkage.length && !missing.length) return null;
  return (
    <div className="sw-dc-rec-plan-summary" data-testid="rec-plan-summary" style={{ display: 'flex', flexWrap: 'wrap', gap: 4, padding: '2px 0 6px' }}>
      {linkage.length > 0 && (
        <Tag color="volcano" data-testid="rec-linkage">
          {t('linkage', { partners: linkage.map(partner).join(t('listSep')) })}
        </Tag>
      )}
      {missing.length > 0 && (
        <Tag color="warning" data-testid="rec-missing">
          {t('missingCaps', { caps: caps(missing) })}
        </Tag>
      )}
    </div>
  );
}
