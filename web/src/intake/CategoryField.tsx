/**
 * The category box: a cascader over the taxonomy with search by name, keywords and synonyms; Enter takes
 * the first match when none is highlighted (like the address box).
 */
import { useMemo, useRef, type KeyboardEvent as ReactKeyboardEvent, type RefObject } from 'react';
import { Cascader, Form, type GetRef } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n';
import type { CategoryNode } from '../incidents/model';
import { focusedListOpen, Kbd } from './form';
import { categoryOptions, matchCategoryPath, type CatOption } from './categorySearch';

export type CategoryRef = GetRef<typeof Cascader>;

export interface CategoryFieldProps {
  tree: CategoryNode[];
  value: string[];
  onChange: (path: string[]) => void;
  error?: string;
  fieldRef: RefObject<CategoryRef | null>;
}

export default function CategoryField({ tree, value, onChange, error, fieldRef }: CategoryFieldProps) {
  const { t } = useTranslation('incidents');
  const { lang } = useLang();
  const search = useRef('');
  const options = useMemo<CatOption[]>(() => categoryOptions(tree, lang), [tree, lang]);

  const onKeyDownCapture = (e: ReactKeyboardEvent) => {
    if (e.key !== 'Enter' || e.ctrlKey || e.metaKey || !focusedListOpen() || !search.current.trim()) return;
    const popup = document.querySelector('.sw-cat-popup:not(.ant-select-dropdown-hidden)');
    if (popup && !popup.querySelector('.ant-cascader-menu-item-active')) {
      const first = popup.querySelector<HTMLElement>('.ant-cascader-menu-item:not(.ant-cascader-menu-item-disabled)');
      if (first) {
        e.preventDefault();
        e.stopPropagation();
        first.click();
        search.current = '';
      }
    }
  };

  return (
    <Form.Item
      label={
        <span>
          {t('category')} <Kbd>F3</Kbd>
        </span>
      }
      validateStatus={error ? 'error' : undefined}
      help={error}
      className="sw-fi"
    >
      <div onKeyDownCapture={onKeyDownCapture}>
        <Cascader
          ref={fieldRef}
          options={options}
          value={value}
          onChange={(v) => onChange((v as string[] | undefined) ?? [])}
          showSearch={{
            filter: (input, path) => matchCategoryPath(input, path as CatOption[]) !== null,
            sort: (a, b, input) => (matchCategoryPath(input, a as CatOption[]) ?? 0) - (matchCategoryPath(input, b as CatOption[]) ?? 0),
            limit: 60,
            onSearch: (v) => {
              search.current = v;
            },
          }}
          placeholder={t('categoryPlaceholder')}
          aria-label={t('category')}
          expandTrigger="hover"
          allowClear={false}
          displayRender={(labels) => labels.join(' / ')}
          data-testid="intake-category"
          classNames={{ popup: { root: 'sw-cat-popup' } }}
          style={{ width: '100%' }}
        />
      </div>
    </Form.Item>
  );
}
