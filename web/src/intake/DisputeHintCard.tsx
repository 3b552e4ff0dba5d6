/**
 * 在办纠纷 — open disputes at the caller's number or the chosen place, beside the caller's and the
 * place's history (issue 12: the call-taker learns that this family already quarrels, and how badly).
 * Only what the hint route answers: number, type, risk grade, days open and what matched; no names or
 * phones. Each line is a tab stop that reads out in full; the number opens the dispute for users who may
 * read the register.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Space, Tag } from 'antd';
import { AlertOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { RISK_COLOR, RiskTag, useDisputeLabels, type DisputeHint } from '../components/DisputeRisk';

/** The phone as the hint route takes it (digits and a leading +), or undefined when it is not one. */
export function hintPhone(phone: string): string | undefined {
  const p = phone.replace(/[^0-9+]/g, '');
  return /^\+?[0-9]{5,19}$/.test(p) ? p : undefined;
}

/**
 * The hint for what the call-taker has entered so far. The phone comes in already debounced (as for the
 * caller's history); an address or a point changes only when one is picked.
 */
export function useDisputeHints(args: { allowed: boolean; phone: string | undefined; addressCode: string | undefined; point: { lon: number; lat: number } | null }) {
  const { allowed, phone, addressCode, point } = args;
  const asked = allowed && !!(phone || addressCode || point);
  const q = useQuery<DisputeHint[]>({
    queryKey: ['disputes', 'hints', phone ?? null, addressCode ?? null, point?.lon ?? null, point?.lat ?? null],
    queryFn: ({ signal }) => api<{ items: DisputeHint[] }>('/api/v1/disputes/hints', { query: { phone, addressCode, lon: point?.lon, lat: point?.lat }, signal }).then((r) => r.items),
    enabled: asked,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
    // A hint that fails leaves the console as it was: the call goes on.
    retry: false,
  });
  return asked ? (q.data ?? []) : [];
}

const SHOWN = 4;

export default function DisputeHintCard({ items, canOpen }: { items: DisputeHint[]; canOpen: boolean }) {
  const { t } = useTranslation('intake');
  const labels = useDisputeLabels();
  // Announced when it appears (the region is always there, the card only with something in it).
  return (
    <div aria-live="polite" className="sw-intake-disputes-live">
      {items.length > 0 && (
        <Card
          size="small"
          className="sw-intake-disputes"
          style={{ borderInlineStartColor: RISK_COLOR[items[0].riskGrade] }}
          title={
            <Space size={6}>
              <AlertOutlined style={{ color: RISK_COLOR[items[0].riskGrade] }} />
              {t('disputesOpen')}
              <Tag style={{ marginInlineEnd: 0 }}>{items.length}</Tag>
            </Space>
          }
          extra={<span className="sw-muted">{t('disputesNoPersonal')}</span>}
          data-testid="intake-disputes"
        >
          {items.slice(0, SHOWN).map((h) => {
            const days = t('disputeDays', { n: h.daysOpen });
            const matched = t(h.matchedBy === 'phone' ? 'disputeByPhone' : h.matchedBy === 'address' ? 'disputeByAddress' : 'disputeByPlace');
            const said = `${labels.grade(h.riskGrade)} ${h.number} ${labels.type(h.type)} ${labels.status(h.status)} ${days} ${matched}`;
            return (
              <div key={h.id} className="sw-dispute-hint" tabIndex={canOpen ? -1 : 0} aria-label={said} data-testid={`dispute-hint-${h.number}`} data-grade={h.riskGrade} data-matched={h.matchedBy}>
                <div className="sw-dispute-hint-head">
                  <RiskTag grade={h.riskGrade} />
                  {canOpen ? (
                    <a className="sw-mono" href={`/disputes/${h.id}`} target="_blank" rel="noreferrer" aria-label={said}>
                      {h.number}
                    </a>
                  ) : (
                    <span className="sw-mono">{h.number}</span>
                  )}
                  <Tag color={h.matchedBy === 'phone' ? 'magenta' : 'geekblue'} style={{ marginInlineStart: 'auto', marginInlineEnd: 0 }}>
                    {matched}
                  </Tag>
                </div>
                <div className="sw-dispute-hint-body">
                  <b>{labels.type(h.type)}</b> · {labels.status(h.status)} · <span data-testid="dispute-hint-days">{days}</span>
                </div>
              </div>
            );
          })}
          {items.length > SHOWN && <div className="sw-muted sw-hist-empty">{t('disputesMore', { n: items.length - SHOWN })}</div>}
        </Card>
      )}
    </div>
  );
}
