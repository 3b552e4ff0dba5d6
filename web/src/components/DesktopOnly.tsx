/**
 * A screen built for a desk (the dispatcher console: map, queue and units side by side at 1920×1080).
 * On a phone it says so instead of squeezing the console to one character per line; "open anyway"
 * shows it at desk width in a frame that scrolls sideways, never the page.
 */
import { useState, type ReactNode } from 'react';
import { Button, Grid, Result } from 'antd';
import { DesktopOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';

export default function DesktopOnly({ children, minWidth = 1280 }: { children: ReactNode; minWidth?: number }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const [anyway, setAnyway] = useState(false);
  const narrow = screens.md === false;
  if (!narrow) return <>{children}</>;
  if (!anyway) {
    return (
      <Result
        icon={<DesktopOutlined />}
        title={t('desktopOnlyTitle')}
        subTitle={t('desktopOnlyText')}
        data-testid="desktop-only"
        extra={[
          <Button key="incidents" type="primary" className="sw-touch" onClick={() => navigate('/incidents')}>
            {t('desktopOnlyIncidents')}
          </Button>,
          <Button key="anyway" className="sw-touch" onClick={() => setAnyway(true)} data-testid="desktop-only-open">
            {t('desktopOnlyOpen')}
          </Button>,
        ]}
      />
    );
  }
  return (
    <div className="sw-desktop-frame" data-testid="desktop-frame">
      <div style={{ minWidth }}>{children}</div>
    </div>
  );
}
