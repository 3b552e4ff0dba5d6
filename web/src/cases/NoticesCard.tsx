/**
 * 执法监督通知书 on the case page: each notice of the case with its problems, due date, state and the
 * answers and verifications so far; the form each reader may use now — the supervisor issues a notice
 * and verifies an answer, the station (chief or officer in charge) answers.
 */
import { useState } from 'react';
import { Button, Card, Collapse, Empty, List, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { User } from '../api';
import { useLang } from '../i18n';
import { fmtTime } from '../format';
import { hasPermission, type CaseItem } from './model';
import { NOTICE_STATE_LABELS, PROBLEM_LABELS, inLang, useNotices, type Notice, type NoticeState } from './notices-model';
import { AnswerForm, IssueNoticeModal, VerifyForm } from './NoticeForms';

const STATE_COLOR: Record<NoticeState, string> = { issued: 'gold', returned: 'volcano', answered: 'blue', accepted: 'green' };

export function NoticeStateTag({ notice }: { notice: Pick<Notice, 'state' | 'overdue' | 'late'> }) {
  const { t } = useTranslation('cases');
  const { lang } = useLang();
  return (
    <span style={{ display: 'inline-flex', gap: 4 }}>
      <Tag color={STATE_COLOR[notice.state]} data-state={notice.state} style={{ marginInlineEnd: 0 }}>
        {inLang(NOTICE_STATE_LABELS[notice.state], lang)}
      </Tag>
      {notice.overdue && (
        <Tag color="red" style={{ marginInlineEnd: 0 }} data-testid="notice-overdue">
          {t('noticeOverdue')}
        </Tag>
      )}
      {!notice.overdue && notice.late && <Tag style={{ marginInlineEnd: 0 }}>{t('noticeLate')}</Tag>}
    </span>
  );
}

function NoticeSteps({ notice }: { notice: Notice }) {
  const { t } = useTranslation('cases');
  if (notice.steps.length === 0) return null;
  return (
    <ol className="sw-case-explain" style={{ marginTop: 6 }}>
      {notice.steps.map((s, i) => (
        <li key={i}>
          <span className="sw-mono">{fmtTime(s.at).slice(0, 16)}</span> {t(`noticeStep_${s.action}`, { by: s.by, due: s.answerDueAt ? fmtTime(s.answerDueAt).slice(0, 16) : '' })}
          {s.late && <Tag style={{ marginInlineStart: 6 }}>{t('noticeLate')}</Tag>}
          {(s.text || s.comment) && <div className="sw-case-step-detail">{s.text ?? s.comment}</div>}
        </li>
      ))}
    </ol>
  );
}

function NoticeItem({ notice, user, kase }: { notice: Notice; user: User; kase: CaseItem }) {
  const { t } = useTranslation('cases');
  const { lang } = useLang();
  const owing = notice.state === 'issued' || notice.state === 'returned';
  const mayAnswer = owing && hasPermission(user, 'case.answer') && (user.roles.includes('chief') || user.roles.includes('admin') || user.username === kase.officer);
  const mayVerify = notice.state === 'answered' && hasPermission(user, 'case.notice');
  return (
    <List.Item data-testid={`notice-${notice.number}`} data-state={notice.state} style={{ display: 'block' }}>
      <div className="sw-case-head">
        <Typography.Text strong className="sw-mono">
          {notice.number}
        </Typography.Text>
        <NoticeStateTag notice={notice} />
        <span>
          {t('noticeDue')}: <span className="sw-mono">{fmtTime(notice.answerDueAt).slice(0, 16)}</span>
        </span>
      </div>
      <ul className="sw-case-explain" style={{ marginTop: 6 }}>
        {notice.items.map((i, n) => (
          <li key={n}>
            <Tag style={{ marginInlineEnd: 6 }}>{inLang(PROBLEM_LABELS[i.type], lang)}</Tag>
            {i.description}
          </li>
        ))}
      </ul>
      <div className="sw-case-step-detail">{t('noticeIssuedBy', { by: notice.issuedBy, at: fmtTime(notice.issuedAt).slice(0, 16) })}</div>
      <NoticeSteps notice={notice} />
      {(mayAnswer || mayVerify) && (
        <Collapse
          size="small"
          style={{ marginTop: 8 }}
          defaultActiveKey={['act']}
          items={[{ key: 'act', label: mayAnswer ? t('noticeAnswer') : t('noticeVerify'), children: mayAnswer ? <AnswerForm notice={notice} /> : <VerifyForm notice={notice} /> }]}
        />
      )}
    </List.Item>
  );
}

/** `refetchInterval`: notices come from another desk (the supervisor's, the station's): read again at the stream's pace. */
export default function NoticesCard({ kase, user, refetchInterval }: { kase: CaseItem; user: User; refetchInterval?: number }) {
  const { t } = useTranslation('cases');
  const [issuing, setIssuing] = useState(false);
  const q = useNotices({ caseId: kase.id, limit: 50 }, refetchInterval);
  const items = q.data?.items ?? [];
  return (
    <Card
      size="small"
      title={t('noticesTitle')}
      data-testid="case-notices"
      extra={
        hasPermission(user, 'case.notice') && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setIssuing(true)} data-testid="notice-issue">
            {t('noticeIssue')}
          </Button>
        )
      }
    >
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noticesEmpty')} />
      ) : (
        <List<Notice> size="small" rowKey="id" loading={q.isLoading} dataSource={items} renderItem={(n) => <NoticeItem notice={n} user={user} kase={kase} />} />
      )}
      <IssueNoticeModal caseId={kase.id} open={issuing} onClose={() => setIssuing(false)} />
    </Card>
  );
}
