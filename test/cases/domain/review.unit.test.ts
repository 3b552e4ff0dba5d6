import { describe, expect, it } from 'vitest';
import { GRADE_FLOORS, REVIEW_CHECKLIST, gradeOf, reviewErrors, reviewProblems, scoreReview, type ItemScore } from '../../../src/modules/cases/domain/review.js';

const all = (result: ItemScore['result'], note?: string): ItemScore[] => REVIEW_CHECKLIST.map((c) => ({ id: c.id, result, ...(note ? { note } : {}) }));
const withItem = (id: string, result: ItemScore['result'], note = '问题') => all('met').map((i) => (i.id === id ? { id, result, note } : i));

describe('case review checklist', () => {
  it('weights sum to 100, ids are unique, every item has both labels', () => {
    expect(REVIEW_CHECKLIST.reduce((s, c) => s + c.weight, 0)).toBe(100);
    expect(new Set(REVIEW_CHECKLIST.map((c) => c.id)).size).toBe(REVIEW_CHECKLIST.length);
    for (const c of REVIEW_CHECKLIST) expect(c.zh && c.en).toBeTruthy();
  });

  it.each([
    ['all met', all('met'), 100, 'excellent'],
    ['custody not met (20)', withItem('custody', 'unmet'), 80, 'good'],
    ['evidence partly met (20 × ½)', withItem('evidence', 'partial'), 90, 'excellent'],
    ['property not applicable, recording not met: 10 of 90 lost', withItem('property', 'na').map((i) => (i.id === 'recording' ? { id: 'recording', result: 'unmet' as const, note: '未录像' } : i)), 88.9, 'good'],
    ['all not met', all('unmet', 'x'), 0, 'fail'],
  ])('%s → %d (%s)', (_name, items, score, grade) => {
    expect(reviewErrors(items)).toBeNull();
    expect(scoreReview(items)).toEqual({ score, grade });
  });

  it.each([
    [all('met').slice(1), 'items'],
    [[...all('met'), { id: 'filing', result: 'met' }], 'items.7.id'],
    [[{ id: 'speed', result: 'met' }, ...all('met')], 'items.0.id'],
    [withItem('documents', 'unmet', ''), 'items.5.note'],
    [all('met').map((i, n) => (n === 2 ? { ...i, result: 'so-so' } : i)), 'items.2.result'],
    [all('na'), 'items'],
  ])('refuses %#, naming %s', (items, field) => {
    expect(reviewErrors(items as ItemScore[])?.field).toBe(field);
  });

  it('grades at their floors', () => {
    for (const [grade, floor] of GRADE_FLOORS) expect(gradeOf(floor)).toBe(grade);
    expect(gradeOf(89.9)).toBe('good');
    expect(gradeOf(59.9)).toBe('fail');
  });

  it('partly or not met items count as their problem types', () => {
    expect(reviewProblems(withItem('recording', 'partial'))).toEqual(['no_recording']);
    expect(reviewProblems(all('met'))).toEqual([]);
  });
});
