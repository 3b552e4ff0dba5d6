/**
 * An incident's category from the root (刑事 / 侵犯财产 / 抢劫抢夺 / 抢劫) in the reader's language: in
 * English the tree's English names, with the Chinese path on hover (the names the station and the
 * records use). `fallback` is the server's Chinese path, shown when the tree does not hold the code.
 */
import { Tooltip } from 'antd';
import { useLang } from '../i18n';
import { useCategories } from './model';

export function CategoryPath({ code, fallback }: { code: string; fallback?: readonly string[] }) {
  const { index } = useCategories();
  const { lang } = useLang();
  const hit = index.get(code);
  const zh = hit ? hit.path.map((n) => n.name) : fallback?.length ? [...fallback] : [code];
  if (lang !== 'en' || !hit) return <span data-testid="category-path">{zh.join(' / ')}</span>;
  return (
    <Tooltip title={zh.join(' / ')}>
      <span data-testid="category-path" lang="en" tabIndex={0} data-zh={zh.join(' / ')}>
        {hit.path.map((n) => n.nameEn || n.name).join(' / ')}
      </span>
    </Tooltip>
  );
}
