/**
 * "Possible duplicate" on the selected incident (#11.15): the earlier open incidents it may repeat, each
 * with "merge into …" (M for the first). Merging closes this incident as merged into the earlier one
 * (POST /incidents/:id/merge: the link both ways, the audit row, the events and the resolution of its
 * P1 alert in one transaction), so one incident and one alert remain.
 */
import { useState } from 'react';
import { App as AntApp, Button, Modal } from 'antd';
import { MergeCellsOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { errorMessage } from '../format';
import { useLang } from '../i18n';
import type { Incident } from '../incidents/model';
import type { DuplicateOf } from './duplicates';
import { ageText, metres } from './model';

export function DuplicateMerge({
  incident,
  candidates,
  canMerge,
  confirming,
  onConfirm,
  onMerged,
}: {
  incident: Incident;
  candidates: DuplicateOf[];
  canMerge: boolean;
  /** The candidate whose merge is being confirmed (the console opens it with M too). */
  confirming: DuplicateOf | null;
  onConfirm: (c: DuplicateOf | null) => void;
  onMerged: (masterId: string) => void;
}) {
  const { t } = useTranslation('dispatch');
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  if (!candidates.length) return null;

  const merge = async (c: DuplicateOf) => {
    setBusy(true);
    try {
      await api(`/api/v1/incidents/${encodeURIComponent(incident.id)}/merge`, { method: 'POST', body: { masterId: c.master.id }, idempotent: true });
      message.success({ content: <span data-testid="merge-toast">{t('merged', { number: incident.number, master: c.master.number })}</span> });
      onConfirm(null);
      onMerged(c.master.id);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sw-dc-panel sw-dc-dup" data-testid="duplicate-panel" role="region" aria-label={t('duplicateTitle')}>
      <div className="sw-dc-panel-title">
        {t('duplicateTitle')}
      </div>
      {candidates.slice(0, 3).map((c, n) => (
        <div key={c.master.id} className="sw-dc-dup-row" data-testid={`duplicate-of-${c.master.number}`}>
          <div>{t('duplicateOf', { number: c.master.number })}</div>
          <div className="sw-dc-dup-line">
            <span className="sw-muted">{t('duplicateApart', { dist: metres(c.distanceM, lang), t: ageText(c.minutesApart * 60) })}</span>
            <span style={{ flex: 1 }} />
            {canMerge && (
              <Button size="small" icon={<MergeCellsOutlined />} onClick={() => onConfirm(c)} data-testid={`merge-into-${c.master.number}`}>
                {t('mergeInto', { number: c.master.number })}
                {n === 0 && <span className="sw-btn-kbd">M</span>}
              </Button>
            )}
          </div>
        </div>
      ))}
      <Modal
        open={!!confirming}
        title={confirming ? t('mergeTitle', { number: incident.number, master: confirming.master.number }) : ''}
        onCancel={() => onConfirm(null)}
        onOk={() => confirming && void merge(confirming)}
        okText={t('mergeOk')}
        cancelText={t('mergeCancel')}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'merge-ok' } as never}
        destroyOnHidden
      >
        <p data-testid="merge-explain">{confirming ? t('mergeExplain', { number: incident.number, master: confirming.master.number }) : ''}</p>
      </Modal>
    </div>
  );
}
