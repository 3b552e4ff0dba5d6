import { describe, expect, it } from 'vitest';
import { AppError, errorBody, notFound, renderMessage } from '../../src/core/errors.js';

describe('error messages name things in the reader’s language (#11.22)', () => {
  it('a missing incident: no code in either language', () => {
    expect(errorBody(notFound('incident'), 'zh').error.message).toBe('未找到警情');
    expect(errorBody(notFound('incident'), 'en').error.message).toBe('Incident not found');
    expect(errorBody(notFound('api_token'), 'zh').error.message).toBe('未找到API 令牌');
  });
  it('a refused transition names the statuses', () => {
    const err = new AppError(409, 'illegal_transition', { from: 'on_scene', to: 'new' });
    expect(renderMessage(err.code, err.params, 'zh')).toBe('警情当前状态为“到场”，不能变更为“待派警”');
    expect(renderMessage(err.code, err.params, 'en')).toBe('The incident is on scene; it cannot become new');
  });
  it('an unknown value is shown as given', () => {
    expect(renderMessage('not_found', { entity: 'gizmo' }, 'en')).toBe('gizmo not found');
  });
});
