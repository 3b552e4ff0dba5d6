/** The parties of a dispute on the registration form: add and remove; name, phone, role, relation, vulnerable. */
import { Button, Checkbox, Form, Input, Select } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { PARTY_ROLES, useDisputeLabel } from './model';

export interface PartyValue {
  name?: string;
  phone?: string;
  role?: string;
  relation?: string;
  vulnerable?: boolean;
}

export default function PartiesField({ required }: { required: boolean }) {
  const { t } = useTranslation('disputes');
  const label = useDisputeLabel();
  return (
    <Form.List
      name="parties"
      rules={required ? [{ validator: async (_, v?: PartyValue[]) => (v && v.length ? undefined : Promise.reject(new Error(t('partiesHint')))) }] : []}
    >
      {(fields, { add, remove }, { errors }) => (
        <div data-testid="parties">
          {fields.map((f, i) => (
            <div key={f.key} className="sw-party" data-testid={`party-${i}`}>
              <div className="sw-party-head">
                <span>
                  {t('parties')} {i + 1}
                </span>
                <Button type="text" danger className="sw-danger-text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={`${t('removeParty')} ${i + 1}`} data-testid={`party-remove-${i}`} />
              </div>
              <div className="sw-party-grid">
                <Form.Item name={[f.name, 'name']} label={t('partyName')} rules={[{ required: true, whitespace: true, message: t('nameRequired') }, { max: 50 }]}>
                  <Input autoComplete="off" data-testid={`party-name-${i}`} />
                </Form.Item>
                <Form.Item name={[f.name, 'phone']} label={t('partyPhone')} rules={[{ pattern: /^[0-9+ -]{3,20}$/, message: t('phoneInvalid') }]}>
                  <Input inputMode="tel" autoComplete="off" data-testid={`party-phone-${i}`} />
                </Form.Item>
                <Form.Item name={[f.name, 'role']} label={t('partyRole')} rules={[{ required: true }]}>
                  <Select options={PARTY_ROLES.map((r) => ({ value: r, label: label('role_', r) }))} data-testid={`party-role-${i}`} aria-label={t('partyRole')} />
                </Form.Item>
                <Form.Item name={[f.name, 'relation']} label={t('partyRelation')} rules={[{ max: 50 }]}>
                  <Input autoComplete="off" data-testid={`party-relation-${i}`} />
                </Form.Item>
              </div>
              <Form.Item name={[f.name, 'vulnerable']} valuePropName="checked" extra={t('vulnerableHint')}>
                <Checkbox data-testid={`party-vulnerable-${i}`}>{t('partyVulnerable')}</Checkbox>
              </Form.Item>
            </div>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => add({ role: fields.length === 0 ? 'applicant' : 'respondent' })} data-testid="party-add">
            {t('addParty')}
          </Button>
          <Form.ErrorList errors={errors} />
        </div>
      )}
    </Form.List>
  );
}
