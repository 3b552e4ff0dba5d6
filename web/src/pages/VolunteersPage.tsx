/**
 * The station's volunteers page (所长 / 社区民警): who is on duty now, this week's shifts with their fill,
 * a new shift (team, times, people, approval, sign-up window, a square patrol area around a point), the
 * teams, the volunteers' reports and the linked-defence alerts.
 */
import { useState } from 'react';
import { App as AntApp, Button, Card, Checkbox, Col, DatePicker, Empty, Form, Input, InputNumber, List, Row, Select, Space, Table, Tag } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, uuid } from '../api';
import { errorMessage, showFormError } from '../format';
import { squareArea, useDefenceAlerts, useReports, useShifts, useTeams, type Shift } from '../volunteers/model';
import OnDutyCard from '../volunteers/OnDutyCard';
import '../volunteers/volunteers.css';

interface NewShift {
  teamId: string;
  title?: string;
  range: [Dayjs, Dayjs];
  minPeople: number;
  maxPeople: number;
  needsApproval: boolean;
  signupOpensHours: number;
  centre: string;
  halfM: number;
}

function NewShiftCard({ defaultCentre }: { defaultCentre: string }) {
  const { t } = useTranslation('volunteers');
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const teams = useTeams();
  const [form] = Form.useForm<NewShift>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: NewShift) => {
    const [lon, lat] = v.centre.split(/[,\s]+/).map(Number);
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
      form.setFields([{ name: 'centre', errors: ['lon, lat'] }]);
      return;
    }
    setBusy(true);
    try {
      await api('/api/v1/shifts', {
        method: 'POST',
        idempotencyKey: uuid(),
        body: { teamId: v.teamId, title: v.title || undefined, startsAt: v.range[0].toISOString(), endsAt: v.range[1].toISOString(), minPeople: v.minPeople, maxPeople: v.maxPeople, needsApproval: v.needsApproval, signupOpensHours: v.signupOpensHours, area: squareArea(lon!, lat!, v.halfM) },
      });
      message.success(t('created'));
      await qc.invalidateQueries({ queryKey: ['volunteers'] });
    } catch (e) {
      showFormError(form, e, ['teamId', 'title', 'minPeople', 'maxPeople', 'signupOpensHours'], (m) => message.error(m));
    } finally {
      setBusy(false);
    }
  };
  const start = dayjs().add(1, 'day').hour(19).minute(0).second(0);
  // The first team is chosen once the list is there (the form's initial values are read once).
  const firstTeam = teams.data?.[0]?.id;
  if (firstTeam && !form.getFieldValue('teamId')) form.setFieldValue('teamId', firstTeam);
  return (
    <Card size="small" title={t('newShift')} data-testid="new-shift">
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ range: [start, start.add(3, 'hour')], minPeople: 3, maxPeople: 6, needsApproval: false, signupOpensHours: 72, centre: defaultCentre, halfM: 300 }} requiredMark={false}>
        <Form.Item name="teamId" label={t('team')} rules={[{ required: true }]}>
          <Select options={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))} data-testid="shift-team" />
        </Form.Item>
        <Form.Item name="title" label={t('title')}>
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item name="range" label={`${t('startsAt')} – ${t('endsAt')}`} rules={[{ required: true }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Row gutter={8}>
          <Col span={8}>
            <Form.Item name="minPeople" label={t('minPeople')}>
              <InputNumber min={0} max={500} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="maxPeople" label={t('maxPeople')}>
              <InputNumber min={1} max={500} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="signupOpensHours" label={t('opensHours')}>
              <InputNumber min={1} max={720} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={8}>
          <Col span={16}>
            <Form.Item name="centre" label={t('centre')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="halfM" label={t('halfSide')}>
              <InputNumber min={20} max={5000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="needsApproval" valuePropName="checked">
          <Checkbox>{t('needsApproval')}</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="shift-create">
          {t('create')}
        </Button>
      </Form>
    </Card>
  );
}

export default function VolunteersPage() {
  const { t } = useTranslation('volunteers');
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const from = dayjs().startOf('week').toISOString();
  const to = dayjs().endOf('week').add(1, 'day').toISOString();
  const shifts = useShifts({ from, to });
  const teams = useTeams();
  const reports = useReports();
  const alerts = useDefenceAlerts();
  const centreOf = (s?: Shift) => {
    const ring = s?.area.coordinates[0];
    if (!ring?.length) return '';
    const xs = ring.map((p) => p[0]!);
    const ys = ring.map((p) => p[1]!);
    return `${((Math.min(...xs) + Math.max(...xs)) / 2).toFixed(5)}, ${((Math.min(...ys) + Math.max(...ys)) / 2).toFixed(5)}`;
  };
  const seen = async (id: string) => {
    try {
      await api(`/api/v1/volunteer-reports/${id}/status`, { method: 'POST', body: { status: 'seen' }, idempotencyKey: uuid() });
      await qc.invalidateQueries({ queryKey: ['volunteers', 'reports'] });
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <div data-testid="page-volunteers">
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card size="small" title={t('shiftsWeek')}>
            <Table<Shift>
              size="small"
              rowKey="id"
              loading={shifts.isLoading}
              dataSource={shifts.data ?? []}
              pagination={{ pageSize: 12, hideOnSinglePage: true }}
              columns={[
                { title: t('startsAt'), dataIndex: 'startsAt', render: (v: string, s) => `${dayjs(v).format('MM-DD ddd HH:mm')}–${dayjs(s.endsAt).format('HH:mm')}` },
                { title: t('title'), dataIndex: 'title' },
                { title: t('team'), dataIndex: 'teamName' },
                {
                  title: t('fill'),
                  key: 'fill',
                  render: (_, s) => (
                    <Space size={4}>
                      <span>{t('places', { taken: s.confirmed, max: s.maxPeople })}</span>
                      <span className="sw-muted">{t('atLeast', { n: s.minPeople })}</span>
                      {s.short && !s.cancelled && <Tag color="red">{t('short')}</Tag>}
                      {s.taken >= s.maxPeople && <Tag color="green">{t('full')}</Tag>}
                      {s.needsApproval && <Tag color="blue">{t('needsApproval')}</Tag>}
                    </Space>
                  ),
                },
              ]}
            />
          </Card>
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            <Col xs={24} md={12}>
              <Card size="small" title={t('reports')} data-testid="vol-reports">
                <List
                  size="small"
                  dataSource={(reports.data ?? []).slice(0, 8)}
                  locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noReports')} /> }}
                  renderItem={(r) => (
                    <List.Item actions={r.status === 'new' ? [<a key="seen" onClick={() => void seen(r.id)}>{t('markSeen')}</a>] : []}>
                      <List.Item.Meta title={<span>{r.text}</span>} description={`${r.teamName} · ${r.reporter} · ${r.place ?? ''} ${dayjs(r.createdAt).format('MM-DD HH:mm')}`} />
                      <Tag color={r.status === 'new' ? 'orange' : 'default'}>{t(`status_${r.status}`)}</Tag>
                    </List.Item>
                  )}
                />
              </Card>
            </Col>
            <Col xs={24} md={12}>
              <Card size="small" title={t('defenceAlerts')}>
                <List
                  size="small"
                  dataSource={(alerts.data ?? []).slice(0, 8)}
                  locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noDefenceAlerts')} /> }}
                  renderItem={(a) => (
                    <List.Item>
                      <List.Item.Meta title={`${t(`kind_${a.kind}`)} · ${a.memberName}`} description={`${a.groupName} · ${a.addressText} · ${a.incidentNumber ?? ''}`} />
                      <span className="sw-muted">{dayjs(a.raisedAt).format('MM-DD HH:mm')}</span>
                    </List.Item>
                  )}
                />
              </Card>
            </Col>
          </Row>
        </Col>
        <Col xs={24} xl={8}>
          <OnDutyCard limit={10} />
          <div style={{ height: 16 }} />
          <NewShiftCard key={centreOf(shifts.data?.[0])} defaultCentre={centreOf(shifts.data?.[0])} />
          <Card size="small" title={t('teams')} style={{ marginTop: 16 }}>
            <List
              size="small"
              dataSource={teams.data ?? []}
              renderItem={(x) => (
                <List.Item>
                  <b>{x.name}</b>
                  <span className="sw-muted">
                    {t('members', { n: x.members })} · {t('leaders')} {x.leaders.join('、') || '—'}
                  </span>
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
