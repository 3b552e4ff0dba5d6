/**
 * 视频巡查 on the case's body-cam card: the inspection form of one recording (in order, or a problem of
 * the supervision notices' types, with a note) and the count of inspections per recording of the case.
 * API types are declared here (the contract is regenerated later).
 */
import { App as AntApp, Button, Form, Input, Radio, Select, Space } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useLang } from '../i18n';
import { showFormError } from '../format';
import { useCaseWrite } from './model';
import { PROBLEM_LABELS, PROBLEM_TYPES, inLang, type ProblemType } from './notices-model';

interface Inspection {
  id: string;
  mediaId: string;
  result: 'ok' | 'problem';
  problemType: ProblemType | null;
  inspector: string;
  at: string;
}

interface InspectValues {
  result: 'ok' | 'problem';
  problemType?: ProblemType;
  note?: string;
}

/** Inspections recorded from this case, counted by recording (one query for the card). */
export function useInspectionCounts(caseId: string, enabled: boolean): Map<string, number> {
  const q = useQuery({
    queryKey: ['cases', caseId, 'media', 'inspections'],
    queryFn: () => api<{ items: Inspection[] }>('/api/v1/media/inspections', { query: { caseId, limit: 500 } }),
    enabled,
  });
  const counts = new Map<string, number>();
  for (const i of q.data?.items ?? []) counts.set(i.mediaId, (counts.get(i.mediaId) ?? 0) + 1);
  return counts;
}

export function InspectForm({ caseId, mediaId, onDone }: { caseId: string; mediaId: string; onDone: () => void }) {
  const { t } = useTranslation('cases');
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<InspectValues>();
  const write = useCaseWrite();
  const result = Form.useWatch('result', form);
  const submit = async (v: InspectValues) => {
    try {
      const note = v.note?.trim();
      await write.run(`/api/v1/media/${encodeURIComponent(mediaId)}/inspections`, { result: v.result, caseId, ...(v.result === 'problem' && v.problemType ? { problemType: v.problemType } : {}), ...(note ? { note } : {}) });
      message.success(t('mediaInspected'));
      onDone();
    } catch (e) {
      showFormError(form, e, ['result', 'problemType', 'note'], (m) => message.error(m));
    }
  };
  return (
    <Form form={form} layout="inline" initialValues={{ result: 'ok' }} onFinish={(v) => void submit(v)} data-testid={`media-inspect-form-${mediaId}`} style={{ rowGap: 8 }}>
      <Form.Item name="result" label={t('mediaInspectResult')}>
        <Radio.Group data-testid="media-inspect-result">
          <Radio value="ok">{t('mediaInspect_ok')}</Radio>
          <Radio value="problem">{t('mediaInspect_problem')}</Radio>
        </Radio.Group>
      </Form.Item>
      {result === 'problem' && (
        <Form.Item name="problemType" rules={[{ required: true, message: t('mediaRequired') }]}>
          <Select<ProblemType> style={{ width: 220 }} placeholder={t('mediaInspectProblemType')} aria-label={t('mediaInspectProblemType')} options={PROBLEM_TYPES.map((p) => ({ value: p, label: inLang(PROBLEM_LABELS[p], lang) }))} data-testid="media-inspect-type" />
        </Form.Item>
      )}
      <Form.Item name="note" rules={[{ max: 1000 }]}>
        <Input style={{ width: 240 }} placeholder={t('mediaInspectNote')} aria-label={t('mediaInspectNote')} data-testid="media-inspect-note" />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={write.busy} data-testid="media-inspect-submit">
          {t('mediaInspectSubmit')}
        </Button>
        <Button onClick={onDone}>{t('mediaClose')}</Button>
      </Space>
    </Form>
  );
}
