/**
 * 一案一评 on the case page: the review of a closed case (score, grade, each checklist item's result), or
 * for the supervisor the checklist to fill in — each item met / partly met / not met / not applicable,
 * a note where it falls short, the score computed as chosen with the server's own formula.
 */
import { App as AntApp, Button, Card, Empty, Form, Input, Radio, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User } from '../api';
import { useLang } from '../i18n';
import { fmtTime, showFormError } from '../format';
import { hasPermission, useCaseWrite, type CaseItem } from './model';
import { GRADE_LABELS, ITEM_RESULTS, ITEM_RESULT_LABELS, REVIEW_CHECKLIST, inLang, scoreReview, useCaseReview, type ItemResult, type Review } from './notices-model';

type Values = { items: { result: ItemResult; note?: string }[]; comment?: string };

function ReviewView({ review }: { review: Review }) {
  const { t } = useTranslation('cases');
  const { lang } = useLang();
  const byId = new Map(review.items.map((i) => [i.id, i]));
  return (
    <div data-testid="case-review-view">
      <div className="sw-case-head" style={{ marginBottom: 8 }}>
        <span>
          {t('reviewScore')}: <strong data-testid="case-review-score">{review.score}</strong>
        </span>
        <Tag color={review.grade === 'fail' ? 'red' : review.grade === 'excellent' ? 'green' : 'blue'}>{inLang(GRADE_LABELS[review.grade], lang)}</Tag>
        <span className="sw-case-step-detail">{t('reviewBy', { by: review.reviewedBy, at: fmtTime(review.reviewedAt).slice(0, 16) })}</span>
      </div>
      <ul className="sw-case-explain">
        {REVIEW_CHECKLIST.map((c) => {
          const it = byId.get(c.id);
          return (
            <li key={c.id}>
              {inLang(c, lang)} — <strong>{it ? inLang(ITEM_RESULT_LABELS[it.result], lang) : '—'}</strong>
              {it?.note && <span className="sw-case-step-detail"> · {it.note}</span>}
            </li>
          );
        })}
      </ul>
      {review.comment && <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>{review.comment}</Typography.Paragraph>}
    </div>
  );
}

function ReviewForm({ kase }: { kase: CaseItem }) {
  const { t } = useTranslation('cases');
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const write = useCaseWrite();
  const items = Form.useWatch('items', form) as Values['items'] | undefined;
  const preview = items ? scoreReview(REVIEW_CHECKLIST.map((c, i) => ({ id: c.id, result: items[i]?.result ?? 'met' }))) : null;
  const submit = async (v: Values) => {
    try {
      const r = await write.run<Review>(`/api/v1/cases/${encodeURIComponent(kase.id)}/review`, {
        items: REVIEW_CHECKLIST.map((c, i) => ({ id: c.id, result: v.items[i]!.result, ...(v.items[i]!.note?.trim() ? { note: v.items[i]!.note!.trim() } : {}) })),
        comment: v.comment?.trim() || undefined,
      });
      message.success(t('reviewDone', { score: r.score }));
    } catch (e) {
      showFormError(form, e, ['comment'], (m) => message.error(m));
    }
  };
  return (
    <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ items: REVIEW_CHECKLIST.map(() => ({ result: 'met' as ItemResult })) }} data-testid="case-review-form">
      <Table
        size="small"
        pagination={false}
        rowKey="id"
        dataSource={REVIEW_CHECKLIST.map((c, i) => ({ ...c, i }))}
        columns={[
          { title: t('reviewItem'), render: (_: unknown, c) => inLang(c, lang) },
          { title: t('reviewWeight'), dataIndex: 'weight', width: 60 },
          {
            title: t('reviewResult'),
            width: 330,
            render: (_: unknown, c) => (
              <Form.Item name={['items', c.i, 'result']} noStyle>
                <Radio.Group optionType="button" buttonStyle="solid" size="small" aria-label={inLang(c, lang)} data-testid={`review-${c.id}`} options={ITEM_RESULTS.map((r) => ({ value: r, label: inLang(ITEM_RESULT_LABELS[r], lang) }))} />
              </Form.Item>
            ),
          },
          {
            title: t('reviewNote'),
            width: 220,
            render: (_: unknown, c) => {
              const r = items?.[c.i]?.result;
              const needed = r === 'partial' || r === 'unmet';
              return (
                <Form.Item name={['items', c.i, 'note']} noStyle rules={[{ required: needed, whitespace: true, message: t('required') }]}>
                  <Input size="small" disabled={!needed} aria-label={`${t('reviewNote')} ${inLang(c, lang)}`} data-testid={`review-note-${c.id}`} />
                </Form.Item>
              );
            },
          },
        ]}
      />
      <Form.Item name="comment" label={t('reviewComment')} rules={[{ max: 4000 }]} style={{ marginTop: 12 }}>
        <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} data-testid="review-comment" />
      </Form.Item>
      <div className="sw-case-head">
        <Button type="primary" htmlType="submit" loading={write.busy} data-testid="review-submit">
          {t('reviewSubmit')}
        </Button>
        {preview && <span data-testid="review-preview">{t('reviewPreview', { score: preview.score, grade: inLang(GRADE_LABELS[preview.grade], lang) })}</span>}
      </div>
    </Form>
  );
}

export default function ReviewCard({ kase, user }: { kase: CaseItem; user: User }) {
  const { t } = useTranslation('cases');
  const closed = !!kase.closedAt;
  const q = useCaseReview(kase.id, closed);
  const review = q.data?.review ?? null;
  return (
    <Card size="small" title={t('reviewTitle')} data-testid="case-review">
      {!closed ? (
        <div className="sw-case-step-detail">{t('reviewNotClosed')}</div>
      ) : review ? (
        <ReviewView review={review} />
      ) : hasPermission(user, 'case.review') ? (
        <ReviewForm kase={kase} />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('reviewNone')} />
      )}
    </Card>
  );
}
