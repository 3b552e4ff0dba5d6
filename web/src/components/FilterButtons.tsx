/** The end of a list's filter form: search (submit), reset (clear and search again), refresh. */
import { Button, Form, Space, type FormInstance } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';

export default function FilterButtons({ form, onRefresh, labels }: { form: FormInstance; onRefresh: () => void; labels: { search: string; reset: string; refresh: string } }) {
  return (
    <Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" data-testid="filter-search">
          {labels.search}
        </Button>
        <Button
          onClick={() => {
            form.resetFields();
            form.submit();
          }}
        >
          {labels.reset}
        </Button>
        <Button icon={<ReloadOutlined />} onClick={onRefresh} aria-label={labels.refresh} />
      </Space>
    </Form.Item>
  );
}
