/**
 * The volunteer's phone page (义警, 375 px first): my shifts with check-in/out from the browser's position
 * (the server checks it against the shift's area and keeps nothing of it), the shifts open for sign-up,
 * a report of what I saw, my hours and points, and — for a member of a linked-defence group — the
 * one-tap alert.
 */
import { useState } from 'react';
import { App as AntApp, Button, Card, Checkbox, Empty, Form, Input, List, Popconfirm, Select, Space, Statistic, Tag, Typography } from 'antd';
import { AimOutlined, AlertOutlined, LoginOutlined, LogoutOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, uuid } from '../api';
import { errorMessage } from '../format';
import { ALERT_KINDS, currentPosition, REPORT_CATEGORIES, useDefenceAlerts, useDefenceGroups, useMyHours, useShifts, type Checkout, type Shift } from '../volunteers/model';
import '../volunteers/volunteers.css';

const when = (s: Shift) => `${dayjs(s.startsAt).format('MM-DD ddd HH:mm')}–${dayjs(s.endsAt).format('HH:mm')}`;

function ShiftLine({ s, mine }: { s: Shift; mine: boolean }) {
  const { t } = useTranslation('volunteers');
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [busy, setBusy] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['volunteers'] });
  const run = async (what: string, f: () => Promise<unknown>, ok?: (v: unknown) => string) => {
    setBusy(what);
    try {
      const v = await f();
      if (ok) message.success(ok(v));
      await refresh();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  const signup = s.mySignup;
  const checkIn = () =>
    run(
      'in',
      async () => {
        message.loading({ content: t('locating'), key: 'locating' });
        let pos;
        try {
          pos = await currentPosition();
        } catch {
          throw new Error(t('noGeolocation'));
        } finally {
          message.destroy('locating');
        }
        return api(`/api/v1/shifts/${s.id}/checkin`, { method: 'POST', body: pos, idempotencyKey: uuid() });
      },
      () => t('checkedIn'),
    );
  const status = signup?.status;
  return (
    <List.Item className="sw-vol-shift" data-testid={mine ? 'my-shift' : 'open-shift'} data-shift={s.id}>
      <div className="sw-vol-shift-main">
        <div className="sw-vol-shift-title">
          <b>{s.title}</b>
          {s.needsApproval && <Tag color="blue">{t('needsApproval')}</Tag>}
          {status && <Tag color={status === 'confirmed' ? 'green' : status === 'pending' ? 'gold' : 'default'} data-testid="signup-status">{t(status)}</Tag>}
        </div>
        <div className="sw-muted">
          {when(s)} · {s.teamName}
        </div>
        <div className="sw-muted">
          {t('places', { taken: s.taken, max: s.maxPeople })} {s.short && <Tag color="red">{t('short')}</Tag>} {s.taken >= s.maxPeople && <Tag>{t('full')}</Tag>}
          {!mine && !s.signupOpen && s.taken < s.maxPeople && <span> · {t('opensAt', { time: dayjs(s.signupOpensAt).format('MM-DD HH:mm') })}</span>}
        </div>
        {signup?.checkedInAt && <div className="sw-vol-ok" data-testid="checked-in">{t('checkedInAt', { time: dayjs(signup.checkedInAt).format('HH:mm') })}</div>}
        {signup?.checkedOutAt && <div className="sw-muted" data-testid="checked-out">{t('checkedOutAt', { time: dayjs(signup.checkedOutAt).format('HH:mm') })}</div>}
      </div>
      <Space direction="vertical" size={6} className="sw-vol-actions">
        {!mine && (
          <Button type="primary" block disabled={!s.signupOpen} loading={busy === 'up'} data-testid="signup" onClick={() => run('up', () => api(`/api/v1/shifts/${s.id}/signups`, { method: 'POST', idempotencyKey: uuid() }), () => t('signedUpOk'))}>
            {t('signUp')}
          </Button>
        )}
        {mine && status === 'confirmed' && !signup?.checkedInAt && (
          <Button type="primary" block icon={<LoginOutlined />} loading={busy === 'in'} data-testid="checkin" onClick={checkIn}>
            {t('checkIn')}
          </Button>
        )}
        {mine && signup?.checkedInAt && !signup.checkedOutAt && (
          <Button block icon={<LogoutOutlined />} loading={busy === 'out'} data-testid="checkout" onClick={() => run('out', () => api<Checkout>(`/api/v1/shifts/${s.id}/checkout`, { method: 'POST', body: {}, idempotencyKey: uuid() }), (v) => t('checkedOut', { hours: (v as Checkout).hours, points: (v as Checkout).points }))}>
            {t('checkOut')}
          </Button>
        )}
        {mine && (status === 'confirmed' || status === 'pending') && !signup?.checkedInAt && dayjs(s.startsAt).isAfter(dayjs()) && (
          <Button size="small" type="link" loading={busy === 'cancel'} data-testid="cancel-signup" onClick={() => run('cancel', () => api(`/api/v1/shifts/${s.id}/signups/${signup!.id}/cancel`, { method: 'POST', idempotencyKey: uuid() }))}>
            {t('cancelSignup')}
          </Button>
        )}
      </Space>
    </List.Item>
  );
}

function ReportCard() {
  const { t } = useTranslation('volunteers');
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ text: string; place?: string; category?: string; withPosition?: boolean }>();
  const [busy, setBusy] = useState(false);
  const send = async (v: { text: string; place?: string; category?: string; withPosition?: boolean }) => {
    setBusy(true);
    try {
      const pos = v.withPosition ? await currentPosition().catch(() => undefined) : undefined;
      await api('/api/v1/volunteer-reports', { method: 'POST', body: { text: v.text, place: v.place || undefined, category: v.category, ...(pos ? { lon: pos.lon, lat: pos.lat } : {}) }, idempotencyKey: uuid() });
      message.success(t('reportSent'));
      form.resetFields();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('report')} data-testid="vol-report">
      <Form form={form} layout="vertical" onFinish={send} requiredMark={false}>
        <Form.Item name="text" label={t('reportText')} rules={[{ required: true, max: 2000 }]}>
          <Input.TextArea rows={3} placeholder={t('reportTextPh')} data-testid="report-text" />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="place" noStyle>
            <Input placeholder={t('reportPlace')} style={{ width: '55%' }} />
          </Form.Item>
          <Form.Item name="category" noStyle>
            <Select placeholder={t('reportCategory')} style={{ width: '45%' }} allowClear options={REPORT_CATEGORIES.map((c) => ({ value: c, label: t(`cat_${c}`) }))} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="withPosition" valuePropName="checked" style={{ margin: '8px 0' }}>
          <Checkbox>
            <AimOutlined /> {t('useMyLocation')}
          </Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="report-send">
          {t('send')}
        </Button>
      </Form>
    </Card>
  );
}

function DefenceCard() {
  const { t } = useTranslation('volunteers');
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const groups = useDefenceGroups();
  const alerts = useDefenceAlerts();
  const [kind, setKind] = useState<(typeof ALERT_KINDS)[number]>('robbery');
  const [busy, setBusy] = useState(false);
  const group = groups.data?.find((g) => g.myMemberId);
  if (!group) return null;
  const raise = async () => {
    setBusy(true);
    try {
      const a = await api<{ incidentNumber: string | null; notified: number }>(`/api/v1/defence-groups/${group.id}/alerts`, { method: 'POST', body: { kind }, idempotencyKey: uuid() });
      message.success(t('alertSent', { number: a.incidentNumber ?? '—', n: a.notified }));
      await qc.invalidateQueries({ queryKey: ['volunteers', 'defence-alerts'] });
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('defence')} className="sw-vol-defence" data-testid="vol-defence">
      <Typography.Paragraph className="sw-muted" style={{ marginBottom: 8 }}>
        {t('defenceHint', { group: group.name })}
      </Typography.Paragraph>
      <Space.Compact block>
        <Select value={kind} onChange={setKind} style={{ width: '45%' }} options={ALERT_KINDS.map((k) => ({ value: k, label: t(`kind_${k}`) }))} aria-label={t('alertKind')} />
        <Popconfirm title={t('alertConfirm')} onConfirm={raise}>
          <Button type="primary" danger icon={<AlertOutlined />} loading={busy} style={{ width: '55%' }} data-testid="raise-alert">
            {t('raiseAlert')}
          </Button>
        </Popconfirm>
      </Space.Compact>
      {!!alerts.data?.length && (
        <List
          size="small"
          header={<span className="sw-muted">{t('recentAlerts')}</span>}
          dataSource={alerts.data.slice(0, 3)}
          renderItem={(a) => (
            <List.Item>
              <span>
                {t(`kind_${a.kind}`)} · {a.memberName}
              </span>
              <span className="sw-muted">{dayjs(a.raisedAt).format('MM-DD HH:mm')}</span>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

export default function VolunteerPage() {
  const { t } = useTranslation('volunteers');
  const shifts = useShifts();
  const hours = useMyHours();
  const all = shifts.data ?? [];
  const active = (s: Shift) => s.mySignup && (s.mySignup.status === 'confirmed' || s.mySignup.status === 'pending') && !s.cancelled && (dayjs(s.endsAt).isAfter(dayjs()) || (s.mySignup.checkedInAt && !s.mySignup.checkedOutAt));
  const mine = all.filter(active);
  const open = all.filter((s) => !s.mySignup && !s.cancelled && dayjs(s.startsAt).isAfter(dayjs()));
  const h = hours.data;
  return (
    <div className="sw-vol" data-testid="page-volunteer">
      <Card size="small" title={t('myShifts')}>
        <List loading={shifts.isLoading} dataSource={mine} locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noMyShifts')} /> }} renderItem={(s) => <ShiftLine key={s.id} s={s} mine />} />
      </Card>
      <Card size="small" title={t('openShifts')}>
        <List loading={shifts.isLoading} dataSource={open} locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noOpenShifts')} /> }} renderItem={(s) => <ShiftLine key={s.id} s={s} mine={false} />} />
      </Card>
      <DefenceCard />
      <ReportCard />
      <Card size="small" title={t('myHours')} data-testid="vol-hours">
        <div className="sw-vol-stats">
          <Statistic title={t('hoursTotal')} value={h?.hours ?? 0} precision={1} />
          <Statistic title={t('hoursMonth')} value={h?.thisMonthHours ?? 0} precision={1} />
          <Statistic title={t('points')} value={h?.points ?? 0} />
          <Statistic title={t('shiftsServed')} value={h?.shifts ?? 0} />
        </div>
      </Card>
    </div>
  );
}
