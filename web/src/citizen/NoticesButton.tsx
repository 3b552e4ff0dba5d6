/**
 * Safety notices (issue 15) from the review queue: chiefs and administrators list, publish (a station of
 * their jurisdiction, or the whole city for city-wide accounts) and withdraw. The portal shows the current
 * ones of the citizen's area.
 */
import { useState } from 'react';
import { App as AntApp, Button, DatePicker, Drawer, Form, Input, List, Select, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api';
import { useUnits } from '../session';
import type { ApiAnswer } from '../contract';

type NoticeList = ApiAnswer<'/api/v1/citizen-notices', 'get'>;
const day = (iso: string) => dayjs(iso).format('MM-DD HH:mm');

export default function NoticesButton() {
  const { t } = useTranslation('citizen');
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState(false);
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['citizen-notices'], enabled: open, queryFn: () => api<NoticeList>('/api/v1/citizen-notices') });
  const units = useUnits(open);
  const stations = (units.data ?? []).filter((u) => u.kind === 'station');
  const publish = useMutation({
    mutationFn: (b: { title: string; body: string; stationId: string | null; validFrom: string; validTo: string }) => api('/api/v1/citizen-notices', { method: 'POST', body: b, idempotent: true }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['citizen-notices'] }),
  });
  const withdraw = useMutation({ mutationFn: (id: string) => api(`/api/v1/citizen-notices/${id}`, { method: 'DELETE' }), onSuccess: () => void qc.invalidateQueries({ queryKey: ['citizen-notices'] }) });
  const [form] = Form.useForm<{ title: string; body: string; stationId: string; range: [Dayjs, Dayjs] }>();
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await publish.mutateAsync({ title: v.title, body: v.body, stationId: v.stationId === 'city' ? null : v.stationId, validFrom: v.range[0].toISOString(), validTo: v.range[1].toISOString() });
      message.success(t('done'));
      form.resetFields();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="notices-open">
        {t('notices')}
      </Button>
      <Drawer open={open} onClose={() => setOpen(false)} title={t('notices')} width={520}>
        <Typography.Title level={5}>{t('noticeNew')}</Typography.Title>
        <Form form={form} layout="vertical" initialValues={{ stationId: 'city', range: [dayjs(), dayjs().add(7, 'day')] }}>
          <Form.Item name="title" label={t('noticeTitle')} rules={[{ required: true, max: 60 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="body" label={t('noticeBody')} rules={[{ required: true, max: 1000 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="stationId" label={t('noticeArea')}>
            <Select options={[{ value: 'city', label: t('noticeCity') }, ...stations.map((s) => ({ value: s.id, label: s.name }))]} showSearch optionFilterProp="label" />
          </Form.Item>
          <Form.Item name="range" label={t('noticeValid')} rules={[{ required: true }]}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          <Button type="primary" onClick={() => void submit()} loading={publish.isPending}>
            {t('noticePublish')}
          </Button>
        </Form>
        <List
          style={{ marginTop: 16 }}
          dataSource={list.data?.items ?? []}
          renderItem={(n) => (
            <List.Item actions={n.withdrawn ? [<Tag key="w">{t('noticeWithdrawn')}</Tag>] : [<Button key="w" size="small" danger onClick={() => withdraw.mutate(n.id)}>{t('noticeWithdraw')}</Button>]}>
              <List.Item.Meta title={<>{n.title} <Tag>{n.stationName ?? t('noticeCity')}</Tag></>} description={`${day(n.validFrom)} – ${day(n.validTo)} · ${n.body}`} />
            </List.Item>
          )}
        />
      </Drawer>
    </>
  );
}
