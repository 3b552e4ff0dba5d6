import { useState } from 'react';
import { useNavigate, useLocation } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { GlobalOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type User } from '../api';
import { useLang } from '../i18n';
import { landingPath, useLabels, useMeta } from '../session';
import { normaliseField } from '../format';
import logo from '../logo.svg';

interface Values {
  username: string;
  password: string;
}

export default function LoginPage() {
  const { t } = useTranslation('auth');
  const { lang, setLang } = useLang();
  const meta = useMeta();
  const { roleLabel } = useLabels(lang);
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ user: User }>('/api/v1/auth/login', { method: 'POST', body: v, noAuthRedirect: true });
      qc.setQueryData(['me'], res.user);
      const from = (location.state as { from?: string } | null)?.from;
      // Straight to the screen of the user's work unless they were sent here from a page (#11.23).
      navigate(from && from !== '/login' && from !== '/' ? from : landingPath(res.user.roles), { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.field && ['username', 'password'].includes(normaliseField(e.field))) {
        form.setFields([{ name: normaliseField(e.field) as keyof Values, errors: [e.message] }]);
      } else {
        setError(e instanceof Error ? e.message : String(e));
      }
    } finally {
      setBusy(false);
    }
  };

  const m = meta.data;
  const demoPassword = m?.demoPassword ?? 'shouwang-demo';

  return (
    <div className="sw-login">
      <div className="sw-login-lang">
        <Button type="text" className="sw-touch" icon={<GlobalOutlined />} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} data-testid="lang-switch" lang={lang === 'zh' ? 'en' : 'zh'}>
          {lang === 'zh' ? t('langEn') : t('langZh')}
        </Button>
      </div>
      <div className="sw-login-inner">
        <Card className="sw-login-card" data-testid="login-card">
          <div className="sw-login-brand">
            <img src={logo} alt="" />
            <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
              {t('appName')}
            </Typography.Title>
          </div>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 20 }}>
            {t('appSubtitle')}
          </Typography.Paragraph>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
          <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} onValuesChange={() => setError(null)} data-testid="login-form">
            <Form.Item name="username" label={t('username')} rules={[{ required: true, message: t('usernameRequired') }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
            </Form.Item>
            <Form.Item name="password" label={t('password')} rules={[{ required: true, message: t('passwordRequired') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
              {t('signIn')}
            </Button>
          </Form>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 16, marginBottom: 0 }}>
            {t('loginFooter')}
            {m?.version ? ` ${t('version')} ${m.version}` : ''}
          </Typography.Paragraph>
        </Card>
        {m?.demo && (
          <Card className="sw-login-demo" title={t('demoTitle')} size="small" data-testid="demo-panel">
            <Typography.Paragraph style={{ marginBottom: 12 }}>
              {t('demoText', { password: '\u0000' })
                .split('\u0000')
                .flatMap((part, i) => (i === 0 ? [part] : [<Typography.Text key={i} code strong>{demoPassword}</Typography.Text>, part]))}
            </Typography.Paragraph>
            <div className="sw-demo-grid">
              {m.demoAccounts.map((a) => (
                <button
                  key={a.username}
                  type="button"
                  className="sw-demo-account"
                  data-testid={`demo-${a.username}`}
                  onClick={() => {
                    form.setFieldsValue({ username: a.username, password: demoPassword });
                    setError(null);
                  }}
                >
                  <div className="n">{a.displayName}</div>
                  <div className="u">{a.username}</div>
                  <div className="r" title={`${a.roles.map(roleLabel).join('、')} · ${a.unitName}`}>
                    {a.roles.map(roleLabel).join('、')} · {a.unitName}
                  </div>
                </button>
              ))}
            </div>
          </Card>
        )}
      </div>
    </div>
  );
}
