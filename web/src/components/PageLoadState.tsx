/**
 * What a page of one record shows until the record is there: a spinner while it loads, then a 404
 * result when the server says it does not exist (or is not the reader's to see), else the error.
 * Returns null once the data is in.
 */
import type { ReactNode } from 'react';
import { Button, Result, Spin } from 'antd';
import { ApiError } from '../api';

export interface PageLoadStateProps {
  query: { isLoading: boolean; error: unknown; data?: unknown };
  notFoundTitle: string;
  notFoundText?: string;
  /** The title when loading failed otherwise, given the error's message. */
  failedTitle: (msg: string) => string;
  backLabel: ReactNode;
  onBack: () => void;
  testId?: string;
}

export default function PageLoadState({ query, notFoundTitle, notFoundText, failedTitle, backLabel, onBack, testId }: PageLoadStateProps) {
  if (query.isLoading) {
    return (
      <div style={{ padding: 64, textAlign: 'center' }}>
        <Spin />
      </div>
    );
  }
  if (!query.error && query.data) return null;
  const notFound = query.error instanceof ApiError && query.error.status === 404;
  return (
    <Result
      status={notFound ? '404' : 'error'}
      title={notFound ? notFoundTitle : failedTitle(query.error instanceof Error ? query.error.message : '')}
      subTitle={notFound ? notFoundText : undefined}
      extra={<Button onClick={onBack}>{backLabel}</Button>}
      data-testid={testId}
    />
  );
}
