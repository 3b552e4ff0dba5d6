/** The caller's and the place's history beside the intake form. */
import { Card, Space, Tag } from 'antd';
import { HistoryOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { History } from '../incidents/model';
import IncidentLine from './IncidentLine';

export default function HistoryCard({ phoneOk, point, hist, fetching }: { phoneOk: boolean; point: { lon: number; lat: number } | null; hist: History | undefined; fetching: boolean }) {
  const { t } = useTranslation('incidents');
  return (
    <Card size="small" className="sw-intake-history" title={<Space size={6}><HistoryOutlined />{t('history')}</Space>} data-testid="intake-history">
      <div className="sw-hist-section">
        <div className="sw-hist-title">
          {t('callerHistory')}
          {phoneOk && hist && <Tag style={{ marginInlineStart: 6 }}>{t('times', { n: hist.caller.length })}</Tag>}
        </div>
        {!phoneOk ? (
          <div className="sw-muted sw-hist-empty">{t('enterPhoneHint')}</div>
        ) : hist?.caller.length ? (
          <div data-testid="history-caller">
            {hist.caller.slice(0, 6).map((x) => (
              <IncidentLine key={x.id} x={x} point={point} />
            ))}
          </div>
        ) : (
          <div className="sw-muted sw-hist-empty">{fetching ? '…' : t('noCallerHistory')}</div>
        )}
      </div>
      <div className="sw-hist-section">
        <div className="sw-hist-title">
          {t('placeHistory')}
          {point && hist && (
            <Tag color={hist.repeatLocation ? 'red' : 'default'} style={{ marginInlineStart: 6 }}>
              {t('placeCount30d', { n: hist.placeCount30d })}
            </Tag>
          )}
        </div>
        {!point ? (
          <div className="sw-muted sw-hist-empty">{t('pickAddressHint')}</div>
        ) : hist?.place.length ? (
          <div data-testid="history-place">
            {hist.place.slice(0, 8).map((x) => (
              <IncidentLine key={x.id} x={x} point={point} />
            ))}
          </div>
        ) : (
          <div className="sw-muted sw-hist-empty">{fetching ? '…' : t('noPlaceHistory')}</div>
        )}
      </div>
    </Card>
  );
}
