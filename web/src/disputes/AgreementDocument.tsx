/**
 * The agreement as the usual Chinese document (人民调解协议书 / 治安调解协议书): title, number, the
 * parties, the facts, the agreed terms, how it is performed, signatures, mediator, agency and date.
 * Printed on A4 by the print style in disputes.css (the app's frame is hidden).
 */
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n';
import { fmtTime } from '../format';
import { useDisputeLabel, type Agreement, type DisputeDetail } from './model';

function longDate(iso: string, lang: 'zh' | 'en') {
  const d = dayjs(iso);
  return lang === 'en' ? d.format('D MMMM YYYY') : `${d.year()}年${d.month() + 1}月${d.date()}日`;
}

/** Each line of a text as its own indented paragraph (the usual layout of a Chinese document). */
function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\n+/)
        .filter((l) => l.trim())
        .map((l, i) => (
          <p key={i} className="sw-doc-text">
            {l}
          </p>
        ))}
    </>
  );
}

export default function AgreementDocument({ dispute, agreement, agencyName }: { dispute: DisputeDetail; agreement: Agreement; agencyName: string }) {
  const { t } = useTranslation('disputes');
  const { lang } = useLang();
  const label = useDisputeLabel();
  const referral = dispute.referrals.find((r) => r.id === agreement.referralId);
  const kind = referral?.mediationType ?? 'people';
  const signature = (partyId: string) => agreement.signatures.find((s) => s.partyId === partyId);
  const a = agreement;
  return (
    <article className="sw-doc" data-testid="agreement-document" lang={lang === 'en' ? 'en' : 'zh-CN'}>
      <h1>{t(`docTitle_${kind}`)}</h1>
      <div className="sw-doc-number">{t('docNumber', { number: dispute.number })}</div>

      <h2>{t('docParties')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('partyRole')}</th>
            <th scope="col">{t('partyName')}</th>
            <th scope="col">{t('partyPhone')}</th>
            <th scope="col">{t('partyRelation')}</th>
          </tr>
        </thead>
        <tbody>
          {dispute.parties.map((p) => (
            <tr key={p.id}>
              <td>{label('role_', p.role)}</td>
              <td>{p.name}</td>
              <td>{p.phone ?? ''}</td>
              <td>{p.relation ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t('docFacts')}</h2>
      <Paragraphs text={dispute.summary} />

      <h2>{t('docTerms')}：</h2>
      <div data-testid="doc-terms">
        <Paragraphs text={a.text} />
      </div>

      <h2>{t('docPerformance')}</h2>
      <p className="sw-doc-text">
        {[a.performanceMethod && t('docPerfMethod', { v: a.performanceMethod }), a.performancePlace && t('docPerfPlace', { v: a.performancePlace }), a.performanceDeadline && t('docPerfDeadline', { v: a.performanceDeadline })].filter(Boolean).join('；') || '—'}
      </p>
      <p className="sw-doc-text">{t('docEffect')}</p>

      <div className="sw-doc-signs">
        <div>
          {dispute.parties.map((p) => {
            const s = signature(p.id);
            return (
              <div key={p.id} className="sw-doc-sign" data-testid="doc-party-sign">
                {t('docPartySign')}：<span className="sw-doc-sign-line">{s ? p.name : ''}</span>
                <div className="sw-doc-sign-how">{s ? t('docSignedHow', { method: label('sig_', s.method), at: fmtTime(s.at).slice(0, 16) }) : t('docUnsigned')}</div>
              </div>
            );
          })}
        </div>
        <div>
          <div className="sw-doc-sign">
            {t('docMediatorSign')}：<span className="sw-doc-sign-line">{a.mediatorName ?? ''}</span>
          </div>
          <div className="sw-doc-sign">
            {t('docAgencySeal')}：<span className="sw-doc-sign-line">{agencyName}</span>
          </div>
        </div>
      </div>
      <div className="sw-doc-date" data-testid="doc-date">
        {longDate(a.signedAt, lang)}
      </div>
    </article>
  );
}
