/** "My tasks" on the community officer's phone: follow-ups made from a visit's finding, by due day; closed with a note. */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Input, Modal, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { errorMessage } from '../format';
import type { Task, TaskList } from './model';

export default function TasksCard() {
  const { t } = useTranslation('community');
  const tasks = useQuery({ queryKey: ['community', 'tasks'], queryFn: () => api<TaskList>('/api/v1/me/tasks') });
  const [closing, setClosing] = useState<Task | null>(null);
  const items = tasks.data?.items ?? [];
  if (!items.length) return null;
  return (
    <Card size="small" title={t('myTasks')} style={{ marginBottom: 12 }} data-testid="my-tasks">
      {items.map((x) => (
        <div key={x.id} style={{ display: 'flex', alignItems: 'center', gap: 8, padding: '6px 0', borderBottom: '1px solid #f0f0f0' }}>
          <div style={{ flex: 1, minWidth: 0 }}>
            <div style={{ textDecoration: x.status === 'done' ? 'line-through' : undefined }}>{x.title}</div>
            <Typography.Text type={x.overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
              {x.status === 'done' ? t('taskDone') : t('taskDue', { day: x.dueOn })}
            </Typography.Text>
          </div>
          {x.status === 'open' ? (
            <Button onClick={() => setClosing(x)} style={{ minHeight: 44 }} data-testid={`task-close-${x.id}`}>
              {t('taskClose')}
            </Button>
          ) : (
            <Tag color="green">{t('taskDone')}</Tag>
          )}
        </div>
      ))}
      {closing && <CloseModal task={closing} onClose={() => setClosing(null)} />}
    </Card>
  );
}

function CloseModal({ task, onClose }: { task: Task; onClose: () => void }) {
  const { t } = useTranslation('community');
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [note, setNote] = useState('');
  const ok = async () => {
    try {
      await api(`/api/v1/tasks/${encodeURIComponent(task.id)}/close`, { body: note.trim() ? { note: note.trim() } : {} });
      await qc.invalidateQueries({ queryKey: ['community', 'tasks'] });
      onClose();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Modal open title={`${t('taskClose')} · ${task.title}`} onOk={ok} onCancel={onClose} width={360}>
      <Input.TextArea rows={2} maxLength={300} placeholder={t('taskNote')} value={note} onChange={(e) => setNote(e.target.value)} />
    </Modal>
  );
}
