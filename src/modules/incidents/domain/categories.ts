/**
 * The 110 incident taxonomy (警情类别): four levels, two digits per level (`01`, `0101`, `010101`,
 * `01010101`). Leaves are at level 4; a branch may stop earlier only when its leaf says `leaf: true`
 * explicitly (the 无效/骚扰 family does). Each leaf carries what intake and dispatch need: a default
 * priority, the capabilities a unit must have, the hotline a non-police matter goes to, and keywords.
 *
 * Pure data + lookups. Administrators may later edit the tree in the database: `flattenTree()` gives the
 * rows to seed it with (parents before children).
 *
 * `transferTo` means two different things by family:
 *  - family `08` 群众求助转办: not a police matter, the incident is transferred (status `transferred`);
 *  - elsewhere (fire, medical, traffic signals): 联动 linkage, the partner is notified and police still
 *    respond with their part (cordon, traffic, order). `isPureTransfer(code)` tells them apart.
 */

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
/** P1 = life in danger / in progress, P4 = no urgency. */
export type Priority = (typeof PRIORITIES)[number];

export const TRANSFER_TARGETS = ['12345', '119', '120', '122'] as const;
/** 12345 government hotline, 119 fire, 120 ambulance, 122 traffic police. */
export type TransferTarget = (typeof TRANSFER_TARGETS)[number];

/** What a unit must be able to do; dispatch matches these against unit capabilities. `[]` = any patrol unit. */
export const CAPABILITIES = {
  armed: { zh: '武装处置', en: 'Armed response' },
  special: { zh: '特警', en: 'Special police' },
  traffic: { zh: '交通警察', en: 'Traffic police' },
  medical: { zh: '急救联动', en: 'Medical (with 120)' },
  fire: { zh: '消防联动', en: 'Fire (with 119)' },
  rescue: { zh: '抢险救援', en: 'Rescue' },
  water_rescue: { zh: '水上救援', en: 'Water rescue' },
  negotiator: { zh: '谈判', en: 'Negotiator' },
  female_officer: { zh: '女警', en: 'Female officer' },
  eod: { zh: '排爆', en: 'Explosive ordnance disposal' },
  k9: { zh: '警犬', en: 'K9' },
  forensics: { zh: '现场勘查', en: 'Crime-scene forensics' },
  investigation: { zh: '刑侦', en: 'Criminal investigation' },
  mediation: { zh: '调解', en: 'Mediation' },
  anti_fraud: { zh: '反诈', en: 'Anti-fraud' },
  juvenile: { zh: '未成年人保护', en: 'Juvenile protection' },
  crowd: { zh: '群体性事件处置', en: 'Crowd control' },
} as const;
export type Capability = keyof typeof CAPABILITIES;

export type CategoryLevel = 1 | 2 | 3 | 4;

export interface CategoryNode {
  code: string;
  name: string;
  nameEn: string;
  level: CategoryLevel;
  parentCode: string | null;
  leaf: boolean;
  defaultPriority?: Priority;
  capabilities?: Capability[];
  transferTo?: TransferTarget;
  keywords?: string[];
  children?: CategoryNode[];
}

/** One row per node for seeding the database (parents before children). */
export interface CategoryRow {
  code: string;
  parentCode: string | null;
  level: CategoryLevel;
  name: string;
  nameEn: string;
  leaf: boolean;
  defaultPriority: Priority | null;
  capabilities: Capability[];
  transferTo: TransferTarget | null;
  keywords: string[];
  /** 1-based position among its siblings. */
  sortOrder: number;
}

/* ------------------------------------------------------------------------------------------------ */
/* Spec (codes are built from each node's 2-digit segment; stable by construction)                  */
/* ------------------------------------------------------------------------------------------------ */

interface BranchSpec {
  seg: string;
  name: string;
  nameEn: string;
  children: Spec[];
}
interface LeafSpec {
  seg: string;
  name: string;
  nameEn: string;
  leaf: true;
  p: Priority;
  caps: Capability[];
  kw: string[];
  to?: TransferTarget;
}
type Spec = BranchSpec | LeafSpec;

const B = (seg: string, name: string, nameEn: string, children: Spec[]): BranchSpec => ({ seg, name, nameEn, children });
const L = (seg: string, name: string, nameEn: string, p: Priority, caps: Capability[], kw: string[], to?: TransferTarget): LeafSpec => ({
  seg,
  name,
  nameEn,
  leaf: true,
  p,
  caps,
  kw,
  ...(to ? { to } : {}),
});

const SPEC: Spec[] = [
  B('01', '刑事', 'Criminal', [
    B('01', '侵犯人身权利', 'Offences against the person', [
      B('01', '杀人伤害', 'Homicide and wounding', [
        L('01', '杀人', 'Homicide', 'P1', ['armed', 'medical', 'forensics', 'investigation'], ['杀人', '命案', '砍死', '捅死', '尸体']),
        L('02', '故意伤害', 'Intentional wounding', 'P1', ['medical', 'investigation'], ['捅伤', '砍伤', '打伤', '重伤', '伤害']),
        L('03', '持械斗殴', 'Armed affray', 'P1', ['armed', 'medical'], ['持械', '斗殴', '械斗', '砍人', '打群架']),
      ]),
      B('02', '侵犯人身自由', 'Offences against liberty', [
        L('01', '绑架', 'Kidnapping', 'P1', ['armed', 'special', 'negotiator', 'investigation'], ['绑架', '勒索赎金', '被绑']),
        L('02', '拐卖妇女儿童', 'Trafficking of women and children', 'P1', ['investigation', 'juvenile'], ['拐卖', '拐骗', '抱走孩子']),
        L('03', '非法拘禁', 'Unlawful detention', 'P1', ['armed', 'investigation'], ['非法拘禁', '关起来', '扣押', '不让走']),
      ]),
      B('03', '性侵害', 'Sexual offences', [
        L('01', '强奸', 'Rape', 'P1', ['female_officer', 'medical', 'investigation', 'forensics'], ['强奸', '性侵']),
        L('02', '强制猥亵', 'Indecent assault', 'P2', ['female_officer', 'investigation'], ['猥亵', '摸', '性骚扰']),
      ]),
    ]),
    B('02', '侵犯财产', 'Offences against property', [
      B('01', '抢劫抢夺', 'Robbery and snatching', [
        L('01', '抢劫', 'Robbery', 'P1', ['armed', 'investigation'], ['抢劫', '打劫', '抢钱', '持刀抢']),
        L('02', '抢夺', 'Snatch theft', 'P2', ['investigation'], ['抢夺', '飞车抢', '抢包', '抢手机', '抢项链']),
      ]),
      B('02', '盗窃', 'Theft', [
        L('01', '入室盗窃', 'Burglary', 'P2', ['forensics', 'investigation'], ['入室', '撬门', '家里被偷', '被盗', '翻窗']),
        L('02', '扒窃', 'Pickpocketing', 'P3', [], ['扒窃', '扒手', '钱包被偷', '手机被偷']),
        L('03', '盗窃机动车', 'Motor-vehicle theft', 'P3', ['investigation'], ['汽车被偷', '车被偷', '偷车', '摩托车被偷']),
        L('04', '盗窃电动车自行车', 'Bicycle and e-bike theft', 'P3', [], ['电动车被偷', '自行车被偷', '电瓶车', '单车被偷']),
        L('05', '盗窃车内财物', 'Theft from vehicle', 'P3', ['forensics'], ['车窗被砸', '车内财物', '砸车窗']),
        L('06', '盗窃商铺财物', 'Shop theft', 'P3', [], ['商铺被盗', '店里被偷', '偷东西', '顺手牵羊']),
      ]),
      B('03', '诈骗', 'Fraud', [
        L('01', '电信网络诈骗', 'Telecom and online fraud', 'P2', ['anti_fraud'], ['诈骗', '被骗', '刷单', '冒充公检法', '转账', '投资理财', '杀猪盘']),
        L('02', '接触型诈骗', 'Face-to-face fraud', 'P3', ['investigation'], ['街头诈骗', '调包', '假币', '骗钱']),
      ]),
      B('04', '敲诈勒索', 'Extortion', [
        L('01', '敲诈勒索', 'Extortion', 'P2', ['investigation'], ['敲诈', '勒索', '要挟', '裸聊']),
        L('02', '故意毁坏财物', 'Criminal damage', 'P3', [], ['砸坏', '毁坏', '划车', '砸玻璃']),
      ]),
    ]),
    B('03', '危害公共安全', 'Offences against public safety', [
      B('01', '爆炸投毒放火', 'Explosion, poisoning, arson', [
        L('01', '爆炸', 'Explosion', 'P1', ['eod', 'armed', 'medical', 'fire'], ['爆炸', '炸了', '巨响']),
        L('02', '投放危险物质', 'Poisoning', 'P1', ['medical', 'investigation'], ['投毒', '下毒', '中毒']),
        L('03', '放火', 'Arson', 'P1', ['fire', 'investigation'], ['放火', '纵火', '点火']),
      ]),
      B('02', '涉枪涉爆', 'Firearms and explosives', [
        L('01', '持枪', 'Firearm incident', 'P1', ['armed', 'special'], ['枪', '开枪', '枪声', '持枪']),
        L('02', '可疑爆炸物', 'Suspicious device', 'P1', ['eod', 'k9'], ['可疑包裹', '爆炸物', '炸弹', '可疑物品']),
      ]),
    ]),
  ]),
  B('02', '治安', 'Public order', [
    B('01', '扰乱公共秩序', 'Disturbing public order', [
      B('01', '聚众扰序', 'Disorder', [
        L('01', '聚众斗殴', 'Group fight', 'P1', ['armed', 'crowd', 'medical'], ['聚众斗殴', '打群架', '一群人打架']),
        L('02', '寻衅滋事', 'Provocation and harassment', 'P2', [], ['寻衅滋事', '挑衅', '闹事', '滋事']),
        L('03', '醉酒滋事', 'Drunk and disorderly', 'P2', [], ['醉酒', '喝醉', '发酒疯', '耍酒疯']),
      ]),
      B('02', '扰乱单位秩序', 'Disturbing an institution', [
        L('01', '扰乱医院秩序', 'Disturbance at a hospital', 'P2', ['crowd'], ['医闹', '医院闹事', '打医生']),
        L('02', '扰乱学校秩序', 'Disturbance at a school', 'P2', ['juvenile'], ['学校门口', '校园', '闯学校']),
        L('03', '扰乱公共交通秩序', 'Disturbance on public transport', 'P2', [], ['公交车', '抢方向盘', '巴士上闹事', '轻轨']),
      ]),
    ]),
    B('02', '妨害社会管理', 'Obstructing public administration', [
      B('01', '黄赌毒', 'Vice: gambling, prostitution, drugs', [
        L('01', '赌博', 'Illegal gambling', 'P3', [], ['赌博', '聚赌', '赌场', '打麻将赌钱']),
        L('02', '卖淫嫖娼', 'Prostitution', 'P3', [], ['卖淫', '嫖娼', '色情按摩']),
        L('03', '吸毒贩毒', 'Drug use and dealing', 'P2', ['k9'], ['吸毒', '贩毒', '毒品', '冰毒', '大麻']),
      ]),
      B('02', '社会治安管理', 'Public-order administration', [
        L('01', '非法携带管制刀具', 'Carrying a prohibited knife', 'P2', ['armed'], ['管制刀具', '带刀', '砍刀']),
        L('02', '噪音扰民', 'Noise nuisance', 'P4', [], ['噪音', '吵', '装修噪音', '唱歌', '扰民', '音响']),
        L('03', '违规燃放烟花爆竹', 'Illegal fireworks', 'P3', [], ['烟花', '鞭炮', '爆竹']),
        L('04', '可疑人员', 'Suspicious person', 'P3', [], ['可疑人员', '形迹可疑', '徘徊', '尾随']),
        L('05', '无人机违规飞行', 'Unauthorised drone flight', 'P3', [], ['无人机', '航拍']),
      ]),
    ]),
    B('03', '侵犯人身权利（治安）', 'Minor offences against the person', [
      B('01', '殴打伤害', 'Assault', [
        L('01', '殴打他人', 'Assault', 'P2', ['medical'], ['打人', '殴打', '被打', '动手']),
        L('02', '家庭暴力', 'Domestic violence', 'P2', ['female_officer'], ['家暴', '家庭暴力', '老公打我', '丈夫打']),
      ]),
      B('02', '侵扰他人', 'Harassment', [
        L('01', '威胁恐吓', 'Threats and intimidation', 'P3', [], ['威胁', '恐吓', '扬言']),
        L('02', '偷窥偷拍', 'Voyeurism', 'P3', ['female_officer'], ['偷拍', '偷窥']),
        L('03', '侮辱诽谤', 'Insult and defamation', 'P4', [], ['辱骂', '诽谤', '侮辱', '造谣']),
      ]),
    ]),
  ]),
  B('03', '交通', 'Traffic', [
    B('01', '交通事故', 'Road collisions', [
      B('01', '道路交通事故', 'Road traffic collisions', [
        L('01', '交通事故（人员伤亡）', 'Collision with casualties', 'P1', ['traffic', 'medical'], ['车祸', '撞人', '被车撞', '撞伤', '伤亡']),
        L('02', '交通事故（财产损失）', 'Damage-only collision', 'P3', ['traffic'], ['追尾', '刮擦', '碰撞', '剐蹭', '撞车']),
        L('03', '交通肇事逃逸', 'Hit and run', 'P2', ['traffic', 'investigation'], ['逃逸', '撞了就跑', '肇事逃逸']),
      ]),
    ]),
    B('02', '交通违法', 'Traffic offences', [
      B('01', '危险驾驶', 'Dangerous driving', [
        L('01', '酒驾醉驾', 'Drink driving', 'P2', ['traffic'], ['酒驾', '醉驾', '喝酒开车']),
        L('02', '飙车', 'Street racing', 'P2', ['traffic'], ['飙车', '炸街', '超速']),
        L('03', '逆行', 'Wrong-way driving', 'P2', ['traffic'], ['逆行']),
      ]),
      B('02', '一般违法', 'Minor offences', [
        L('01', '违法停车', 'Illegal parking', 'P4', ['traffic'], ['乱停车', '违停', '堵门', '挡住车库', '占用车位'], '122'),
        L('02', '无证驾驶', 'Unlicensed driving', 'P3', ['traffic'], ['无证驾驶', '无牌']),
      ]),
    ]),
    B('03', '交通秩序', 'Traffic management', [
      B('01', '道路通行', 'Road conditions', [
        L('01', '交通拥堵', 'Congestion', 'P3', ['traffic'], ['堵车', '拥堵', '塞车']),
        L('02', '道路障碍物', 'Obstruction on the road', 'P2', ['traffic'], ['障碍物', '遗撒', '掉落', '路上有', '树倒']),
        L('03', '交通信号灯故障', 'Traffic-light fault', 'P3', ['traffic'], ['红绿灯', '信号灯坏', '灯不亮'], '122'),
      ]),
    ]),
  ]),
  B('04', '火灾/救援', 'Fire and rescue', [
    B('01', '火灾', 'Fires', [
      B('01', '火灾', 'Fires', [
        L('01', '建筑火灾', 'Building fire', 'P1', ['fire', 'medical'], ['着火', '起火', '火灾', '冒烟', '烧起来'], '119'),
        L('02', '车辆火灾', 'Vehicle fire', 'P1', ['fire', 'traffic'], ['车着火', '车辆起火', '自燃'], '119'),
        L('03', '山林火灾', 'Hill or wildland fire', 'P1', ['fire'], ['山火', '山林起火'], '119'),
      ]),
    ]),
    B('02', '抢险救援', 'Rescue', [
      B('01', '人员救援', 'Rescue of persons', [
        L('01', '人员被困', 'Person trapped', 'P2', ['rescue'], ['被困', '电梯困人', '卡住', '出不来'], '119'),
        L('02', '落水', 'Person in water', 'P1', ['water_rescue', 'medical'], ['落水', '掉海里', '溺水', '掉进水里']),
        L('03', '轻生', 'Suicide attempt', 'P1', ['negotiator', 'medical'], ['跳楼', '轻生', '自杀', '跳海', '割腕', '不想活']),
      ]),
      B('02', '灾害事故', 'Hazards', [
        L('01', '危险化学品泄漏', 'Hazardous-material leak', 'P1', ['fire'], ['泄漏', '化学品', '刺鼻气味'], '119'),
        L('02', '燃气泄漏', 'Gas leak', 'P1', ['fire'], ['煤气', '燃气', '气味', '漏气'], '119'),
        L('03', '台风内涝', 'Typhoon and flooding', 'P2', ['rescue'], ['台风', '水浸', '内涝', '积水', '吹倒'], '119'),
        L('04', '建筑倒塌', 'Structural collapse', 'P1', ['rescue', 'medical'], ['倒塌', '塌方', '坍塌', '山泥倾泻'], '119'),
      ]),
    ]),
  ]),
  B('05', '纠纷', 'Disputes', [
    B('01', '民间纠纷', 'Civil disputes', [
      B('01', '家庭邻里', 'Family and neighbours', [
        L('01', '家庭纠纷', 'Family dispute', 'P3', ['mediation'], ['家庭纠纷', '夫妻吵架', '吵架', '婆媳', '父子']),
        L('02', '婚恋纠纷', 'Relationship dispute', 'P3', ['mediation'], ['男朋友', '女朋友', '分手', '前妻', '前夫']),
        L('03', '邻里纠纷', 'Neighbour dispute', 'P3', ['mediation'], ['邻居', '漏水', '楼上', '楼下', '占用']),
      ]),
      B('02', '经济纠纷', 'Economic disputes', [
        L('01', '债务纠纷', 'Debt dispute', 'P3', ['mediation'], ['欠钱', '借钱', '要债', '讨债', '不还钱']),
        L('02', '劳资纠纷', 'Wage dispute', 'P3', ['mediation'], ['工资', '欠薪', '老板', '拖欠']),
        L('03', '消费纠纷', 'Consumer dispute', 'P4', ['mediation'], ['消费', '退款', '买单', '商家', '宰客']),
        L('04', '租赁纠纷', 'Tenancy dispute', 'P3', ['mediation'], ['房东', '租客', '押金', '房租']),
        L('05', '交通纠纷', 'Dispute after a road incident', 'P3', ['mediation', 'traffic'], ['赔偿', '的士', '司机', '车费']),
      ]),
      B('03', '其他民间纠纷', 'Other civil disputes', [
        L('01', '物业纠纷', 'Property-management dispute', 'P4', ['mediation'], ['物业', '管理处', '保安']),
        L('02', '医患纠纷', 'Doctor–patient dispute', 'P3', ['mediation'], ['医患', '医院', '医生']),
        L('03', '网络购物纠纷', 'Online-shopping dispute', 'P4', ['mediation'], ['网购', '快递', '外卖']),
      ]),
    ]),
    B('02', '群体性纠纷', 'Collective disputes', [
      B('01', '群体性纠纷', 'Collective disputes', [
        L('01', '群体性讨薪', 'Collective wage claim', 'P2', ['crowd', 'mediation'], ['讨薪', '工人聚集', '拉横幅']),
        L('02', '业主维权', 'Homeowners\u2019 protest', 'P2', ['crowd', 'mediation'], ['业主', '维权', '聚集']),
      ]),
    ]),
  ]),
  B('06', '求助', 'Assistance', [
    B('01', '人员求助', 'Persons', [
      B('01', '走失', 'Missing persons', [
        L('01', '儿童走失', 'Missing child', 'P1', ['juvenile'], ['小孩走失', '孩子不见', '儿童走失', '小朋友']),
        L('02', '老人走失', 'Missing elderly person', 'P2', [], ['老人走失', '老人不见', '失智', '认知障碍']),
        L('03', '精神障碍患者', 'Person in mental-health crisis', 'P2', ['negotiator', 'medical'], ['精神病', '精神异常', '发病', '胡言乱语']),
      ]),
      B('02', '紧急救助', 'Urgent help', [
        L('01', '突发疾病', 'Sudden illness', 'P2', ['medical'], ['晕倒', '昏倒', '心脏病', '抽搐', '不舒服'], '120'),
        L('02', '醉酒人员', 'Intoxicated person needing help', 'P3', [], ['醉倒', '喝醉', '醉汉', '躺在路边']),
        L('03', '困难群众求助', 'Person in difficulty', 'P3', [], ['迷路', '没钱回家', '流浪', '无家可归']),
        L('04', '寻求保护', 'Request for protection', 'P2', [], ['保护', '害怕', '被跟踪', '有人跟着']),
      ]),
    ]),
    B('02', '财物求助', 'Property', [
      B('01', '财物求助', 'Property', [
        L('01', '物品遗失', 'Lost property', 'P4', [], ['丢了', '遗失', '不见了', '落在', '证件']),
        L('02', '拾获物品', 'Found property', 'P4', [], ['捡到', '拾获', '拾到']),
        L('03', '被锁门外', 'Locked out', 'P4', [], ['锁在门外', '钥匙', '开锁', '反锁']),
        L('04', '动物求助', 'Animal problem', 'P4', [], ['狗', '蛇', '流浪狗', '猫', '马蜂']),
      ]),
    ]),
  ]),
  B('07', '举报投诉', 'Reports and complaints', [
    B('01', '违法犯罪举报', 'Reports of offences', [
      B('01', '线索举报', 'Tip-offs', [
        L('01', '涉毒线索', 'Drug tip-off', 'P3', ['investigation'], ['举报吸毒', '有人贩毒', '毒品交易']),
        L('02', '涉赌线索', 'Gambling tip-off', 'P3', [], ['举报赌博', '地下赌场', '放数', '高利贷']),
        L('03', '传销非法集资', 'Pyramid selling and illegal fund-raising', 'P4', ['investigation'], ['传销', '集资', '非法集资']),
        L('04', '其他违法线索', 'Other tip-off', 'P4', [], ['举报', '线索', '违法']),
      ]),
    ]),
    B('02', '投诉', 'Complaints', [
      B('01', '警务投诉', 'Complaints about policing', [
        L('01', '投诉民警', 'Complaint about an officer', 'P3', [], ['投诉民警', '态度差', '不作为']),
        L('02', '投诉接处警', 'Complaint about call handling', 'P4', [], ['出警慢', '没人来', '投诉']),
      ]),
    ]),
  ]),
  B('08', '群众求助转办', 'Non-police matters (transfer)', [
    B('01', '市政民生', 'Municipal services', [
      B('01', '市政设施', 'Utilities and infrastructure', [
        L('01', '水电气故障', 'Water, power or gas outage', 'P4', [], ['停水', '停电', '没电', '水管爆']),
        L('02', '市政设施损坏', 'Damaged street furniture', 'P3', [], ['井盖', '路灯', '路面塌陷', '护栏']),
        L('03', '环境卫生', 'Sanitation', 'P4', [], ['垃圾', '臭味', '污水', '卫生']),
        L('04', '占道经营', 'Street-trading obstruction', 'P4', [], ['摆摊', '占道', '小贩']),
      ]),
    ]),
    B('02', '医疗急救转办', 'Medical (to 120)', [
      B('01', '医疗急救', 'Ambulance', [
        L('01', '急救转120', 'Ambulance request', 'P2', [], ['救护车', '叫车去医院', '急救'], '120'),
      ]),
    ]),
    B('03', '消防转办', 'Fire service (to 119)', [
      B('01', '消防事务', 'Fire safety', [
        L('01', '消防隐患', 'Fire hazard report', 'P4', [], ['消防通道', '消防隐患', '灭火器'], '119'),
      ]),
    ]),
    B('04', '交通转办', 'Traffic police (to 122)', [
      B('01', '交通事务', 'Traffic matters', [
        L('01', '交通管理咨询', 'Traffic enquiry', 'P4', [], ['驾照', '罚单', '违章查询'], '122'),
      ]),
    ]),
    B('05', '政务咨询', 'Government enquiries', [
      B('01', '政务咨询', 'Enquiries', [
        L('01', '政策法规咨询', 'Policy and legal enquiry', 'P4', [], ['咨询', '怎么办理', '政策'], '12345'),
        L('02', '证件办理咨询', 'ID and permit enquiry', 'P4', [], ['身份证', '护照', '通行证', '签注'], '12345'),
        L('03', '劳动社保咨询', 'Labour and social-security enquiry', 'P4', [], ['社保', '劳动合同', '工伤'], '12345'),
      ]),
    ]),
  ]),
  B('09', '无效/骚扰', 'Invalid and nuisance calls', [
    L('01', '无声电话', 'Silent call', 'P4', [], ['无声', '没有声音', '不说话']),
    L('02', '误拨', 'Misdial', 'P4', [], ['打错', '误拨', '按错']),
    L('03', '骚扰电话', 'Nuisance call', 'P4', [], ['骚扰', '辱骂接警员', '反复拨打']),
    L('04', '谎报警情', 'Hoax report', 'P3', [], ['谎报', '假警', '恶作剧']),
    L('05', '测试及儿童玩耍', 'Test call or child playing', 'P4', [], ['测试', '小孩玩电话', '儿童拨打']),
  ]),
];

// Transfer targets of the non-police family, set in one place so every leaf of 08 has one.
const FAMILY_08_DEFAULT_TRANSFER: TransferTarget = '12345';

/* ------------------------------------------------------------------------------------------------ */
/* Build                                                                                              */
/* ------------------------------------------------------------------------------------------------ */

function build(specs: Spec[], parent: CategoryNode | null): CategoryNode[] {
  return specs.map((s) => {
    if (!/^\d{2}$/.test(s.seg)) throw new Error(`category segment ${s.seg} is not two digits`);
    const code = (parent?.code ?? '') + s.seg;
    const level = ((parent?.level ?? 0) + 1) as CategoryLevel;
    if (level > 4) throw new Error(`category ${code} is deeper than four levels`);
    const base = { code, name: s.name, nameEn: s.nameEn, level, parentCode: parent?.code ?? null };
    if ('leaf' in s) {
      const transferTo = s.to ?? (code.startsWith('08') ? FAMILY_08_DEFAULT_TRANSFER : undefined);
      const node: CategoryNode = { ...base, leaf: true, defaultPriority: s.p, capabilities: [...s.caps], keywords: [...s.kw] };
      if (transferTo) node.transferTo = transferTo;
      return node;
    }
    if (s.children.length === 0) throw new Error(`category ${code} has no children`);
    const node: CategoryNode = { ...base, leaf: false };
    node.children = build(s.children, node);
    return node;
  });
}

export const CATEGORY_TREE: readonly CategoryNode[] = build(SPEC, null);

const INDEX = new Map<string, CategoryNode>();
const LEAVES: CategoryNode[] = [];
(function index(nodes: readonly CategoryNode[]) {
  for (const n of nodes) {
    if (INDEX.has(n.code)) throw new Error(`duplicate category code ${n.code}`);
    INDEX.set(n.code, n);
    if (n.leaf) LEAVES.push(n);
    if (n.children) index(n.children);
  }
})(CATEGORY_TREE);

/* ------------------------------------------------------------------------------------------------ */
/* Lookups                                                                                            */
/* ------------------------------------------------------------------------------------------------ */

const CODE_RE = /^(?:\d{2}){1,4}$/;

export function findCategory(code: string): CategoryNode | undefined {
  return INDEX.get(code);
}

/** Level-1 code of any well-formed code (also codes added later in the database), else null. */
export function categoryFamily(code: string): string | null {
  return CODE_RE.test(code) ? code.slice(0, 2) : null;
}

/** All leaves, depth-first in tree order. Do not mutate. */
export function leafCategories(): readonly CategoryNode[] {
  return LEAVES;
}

/** Names from the root down to the node, e.g. ['刑事', '侵犯财产', '抢劫抢夺', '抢劫']; [] if unknown. */
export function categoryPath(code: string, lang: 'zh' | 'en' = 'zh'): string[] {
  const out: string[] = [];
  let n = INDEX.get(code);
  while (n) {
    out.unshift(lang === 'en' ? n.nameEn : n.name);
    n = n.parentCode ? INDEX.get(n.parentCode) : undefined;
  }
  return out;
}

export function isLeaf(code: string): boolean {
  return INDEX.get(code)?.leaf === true;
}

/** True for the non-police family (08): the incident is handed over, police do not attend. */
export function isPureTransfer(code: string): boolean {
  return categoryFamily(code) === '08' && isLeaf(code);
}

/** Rows for seeding the database: depth-first (parents before children), sortOrder among siblings. */
export function flattenTree(tree: readonly CategoryNode[] = CATEGORY_TREE): CategoryRow[] {
  const rows: CategoryRow[] = [];
  const walk = (nodes: readonly CategoryNode[]) => {
    nodes.forEach((n, i) => {
      rows.push({
        code: n.code,
        parentCode: n.parentCode,
        level: n.level,
        name: n.name,
        nameEn: n.nameEn,
        leaf: n.leaf,
        defaultPriority: n.defaultPriority ?? null,
        capabilities: n.capabilities ? [...n.capabilities] : [],
        transferTo: n.transferTo ?? null,
        keywords: n.keywords ? [...n.keywords] : [],
        sortOrder: i + 1,
      });
      if (n.children) walk(n.children);
    });
  };
  walk(tree);
  return rows;
}
