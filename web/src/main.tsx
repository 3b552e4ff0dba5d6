import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { ApiError } from './api';
import { useLang } from './i18n';
import App from './App';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      refetchOnWindowFocus: false,
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 1,
    },
  },
});

function Themed() {
  const { lang } = useLang();
  return (
    <ConfigProvider
      locale={lang === 'zh' ? zhCN : enUS}
      theme={{
        // Grey text, placeholders and descriptions at 4.5:1 or better on white and on #f5f5f5 (WCAG AA, #11.24).
        token: { colorPrimary: '#1d3a6e', borderRadius: 4, fontSize: 14, colorTextDescription: '#595959', colorTextTertiary: '#595959', colorTextPlaceholder: '#6b6b6b', colorLink: '#0958d9' },
        components: {
          Table: { cellPaddingBlockSM: 6 },
          Layout: { headerBg: '#14284b', siderBg: '#ffffff' },
          Menu: { itemSelectedBg: '#e8eef8', itemSelectedColor: '#1d3a6e', itemBorderRadius: 4 },
          Tree: { nodeSelectedBg: '#dbe5f5', nodeHoverBg: '#eef2f8' },
        },
      }}
    >
      <AntApp>
        <App />
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Themed />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
