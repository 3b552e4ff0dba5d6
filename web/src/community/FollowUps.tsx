/** A finding's other follow-ups, one tap each: a 12345 matter (transferred through the incidents module) or a task of the grid's officer. */
import { useState } from 'react';
import { App as AntApp, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { errorMessage } from '../format';
import type { FollowUp } from './model';

export default function FollowUpButtons({ visitId, finding, onDone }: { visitId: string; finding: number; onDone: (label: string) => void }) {
  const { t } = useTranslation('community');
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState<'hotline12345' | 'task' | null>(null);
  const send = async (kind: 'hotline12345' | 'task') => {
    setBusy(kind);
    try {
      const f = await api<FollowUp>(`/api/v1/visits/${encodeURIComponent(visitId)}/findings/${finding}/${kind}`, { body: {}, idempotent: true });
      const label = kind === 'task' ? t('taskMade') : t('hotlineMade', { number: f.followUp.number ?? '' });
      message.success(label);
      onDone(label);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <Button loading={busy === 'hotline12345'} disabled={busy !== null} onClick={() => void send('hotline12345')} data-testid={`to-12345-${finding}`}>
        {t('toHotline')}
      </Button>
      <Button loading={busy === 'task'} disabled={busy !== null} onClick={() => void send('task')} data-testid={`to-task-${finding}`}>
        {t('toTask')}
      </Button>
    </>
  );
}
