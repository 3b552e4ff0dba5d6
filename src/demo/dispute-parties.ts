/**
 * The parties of a demo dispute and its summary. The incident's caller is the applicant (their name and
 * phone as the call gave them); the other side is named by the kind of dispute (a husband, a neighbour,
 * a shop, an employer); now and then an elderly person or a child is involved. All names and phones are
 * fake, drawn from the caller's seeded generator.
 */
import type { DisputeType, PartyRole } from '../modules/disputes/domain/vocabulary.js';

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢钟谭陆'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文辉俊宇浩嘉豪家少锦荣慧美玲婉婷永康德颖琳'];
const FAMILY_RELATIONS = ['丈夫', '妻子', '儿子', '女儿', '父亲', '母亲', '兄弟', '婆婆', '前男友', '女友'];

/** The other side by dispute type: its relation to the applicant and how it is named. */
const RESPONDENT: Record<DisputeType, { relation: string; org?: (surname: string) => string }> = {
  family: { relation: '家庭成员' },
  neighbour: { relation: '邻居' },
  land: { relation: '相邻土地使用人' },
  debt: { relation: '借款人' },
  labour: { relation: '雇主', org: (s) => `${s}氏工程有限公司` },
  consumer: { relation: '商家', org: (s) => `${s}记商行` },
  tenancy: { relation: '房东' },
  property: { relation: '物业管理处', org: () => '大厦管理处' },
  medical: { relation: '医院', org: () => '医院医务科' },
  traffic: { relation: '对方驾驶员' },
  other: { relation: '对方当事人' },
};

const FOLLOW_ON: Partial<Record<DisputeType, string>> = {
  family: '。民警到场后双方情绪平复，同意由调解组织调解',
  neighbour: '。民警现场劝解，双方同意调解',
  debt: '。双方对欠款数额有争议，同意调解',
  labour: '。劳动者要求结清工资，双方同意调解',
};

export interface DemoParty {
  role: PartyRole;
  name: string;
  phone: string | null;
  relation: string | null;
  vulnerable: boolean;
}

export function partiesOf(inc: { callerName: string | null; callerPhone: string | null; description: string }, type: DisputeType, rand: () => number, vulnerable: boolean): DemoParty[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const person = () => pick(SURNAMES) + pick(GIVEN) + (rand() < 0.6 ? pick(GIVEN) : '');
  const phone = () => (rand() < 0.6 ? `6${String(Math.floor(rand() * 1e7)).padStart(7, '0')}` : `13${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`);
  const r = RESPONDENT[type];
  // A family dispute's other side is the relative the call named, when it named one.
  const relation = type === 'family' ? (FAMILY_RELATIONS.find((x) => inc.description.includes(x)) ?? pick(FAMILY_RELATIONS)) : r.relation;
  const parties: DemoParty[] = [
    { role: 'applicant', name: inc.callerName ?? person(), phone: inc.callerPhone, relation: null, vulnerable: false },
    { role: 'respondent', name: r.org ? r.org(pick(SURNAMES)) : person(), phone: rand() < 0.7 ? phone() : null, relation, vulnerable: false },
  ];
  if (vulnerable || rand() < 0.06) {
    const child = type === 'family' && rand() < 0.6;
    parties.push({ role: 'other', name: person(), phone: null, relation: child ? '未成年子女' : '老人', vulnerable: true });
  }
  return parties;
}

/** The incident's description, with how the officer on the scene left it. */
export function summaryOf(description: string, type: DisputeType): string {
  return description.replace(/[。，；\s]+$/u, '') + (FOLLOW_ON[type] ?? '。经民警现场调处，双方同意调解');
}
