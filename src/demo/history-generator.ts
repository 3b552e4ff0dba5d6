/**
 * A year of plausible past 110 incidents for the demo city, reproducible from a seed (mulberry32; no
 * Math.random, no clock: `now` is an input). Pure: no I/O. All data is FAKE (names, phones, events).
 *
 * What makes it plausible:
 *  - volume: `perDay` on average, weekly rhythm (Fri/Sat busier), slight seasonal swing, daily noise;
 *  - daily rhythm: low 03:00–06:00, rising through the day, peak 19:00–23:00 (stronger Fri/Sat nights);
 *  - category mix: 纠纷 and 求助 most frequent, 交通 ~20 %, 治安 ~12 %, 刑事 ~8 %, the rest small;
 *    traffic heavier in rush hours, disorder and disputes heavier at night;
 *  - a dozen repeat locations (hot spots) that attract many incidents, biased to their own kind;
 *  - intervals by priority (answer 3–15 s, intake 40–90 s, dispatch 30 s–5 min, travel 3–15 min with P1
 *    fastest, on scene 10–60 min), disposition by category, callbacks ~98 % satisfied or basically;
 *  - outcomes: mostly closed; non-police matters transferred; invalid calls closed without dispatch;
 *    ~1.5 % cancelled by the caller; a few repeat callers.
 *  - numbers gap-free per station per local day, in the order incidents were recorded.
 *
 * Days covered: the `days` local days before `now`'s local day (today is left to the live system).
 * Incidents with any timestamp after `now` are dropped before numbering; callbacks after `now` omitted.
 */
import { mulberry32 } from '../core/random.js';
import { pointInPolygon } from '../core/geometry.js';
import { findCategory, isPureTransfer, leafCategories, type CategoryNode, type Priority, type TransferTarget } from '../modules/incidents/domain/categories.js';
import type { DispositionCode } from '../modules/incidents/domain/dispositions.js';
import type { IncidentSource } from '../modules/incidents/domain/lifecycle.js';
import { addLocalDays, formatIncidentNumber, localDay, localDayStart, localParts } from '../modules/incidents/domain/numbering.js';
import { suggestPriority } from '../modules/incidents/domain/priority.js';

/* ------------------------------------------------------------------------------------------------ */
/* Input / output                                                                                     */
/* ------------------------------------------------------------------------------------------------ */

export type DemoPolygonInput =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] }
  | number[][][];

export interface DemoHistoryStation {
  code: string;
  id: string;
  polygon: DemoPolygonInput | null;
  center: readonly [number, number] | null;
}
export interface DemoHistoryGrid {
  id: string;
  parentId: string | null;
  polygon: DemoPolygonInput | null;
}
/** A point along a road, optionally with the road's name (used in the address text). */
export type DemoRoadPoint = readonly [number, number] | readonly [number, number, string];
export interface DemoHistoryAddress {
  code: string;
  text: string;
  lon: number;
  lat: number;
}

export interface DemoHistoryInput {
  seed: number;
  now: Date;
  /** Local days before today (default 365). */
  days?: number;
  /** Average incidents per day (default 90). */
  perDay?: number;
  stations: readonly DemoHistoryStation[];
  grids: readonly DemoHistoryGrid[];
  roadPoints: readonly DemoRoadPoint[];
  addresses?: readonly DemoHistoryAddress[];
}

export type CallbackOutcome = 'satisfied' | 'basically_satisfied' | 'dissatisfied' | 'unreachable';

export interface DemoCallback {
  outcome: CallbackOutcome;
  reason?: string;
  at: Date;
}

export type DemoIncidentStatus = 'closed' | 'cancelled' | 'transferred';

export interface DemoIncident {
  number: string;
  source: IncidentSource;
  categoryCode: string;
  priority: Priority;
  callerName: string | null;
  callerPhone: string | null;
  addressText: string;
  addressCode: string | null;
  lon: number;
  lat: number;
  description: string;
  stationId: string;
  gridId: string | null;
  status: DemoIncidentStatus;
  dispositionCode: DispositionCode | null;
  callStartedAt: Date;
  answeredAt: Date;
  recordedAt: Date;
  dispatchedAt: Date | null;
  enRouteAt: Date | null;
  onSceneAt: Date | null;
  clearedAt: Date | null;
  closedAt: Date | null;
  transferredAt: Date | null;
  transferTo: TransferTarget | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  callback?: DemoCallback;
}

/* ------------------------------------------------------------------------------------------------ */
/* Tables                                                                                             */
/* ------------------------------------------------------------------------------------------------ */

/** Relative weight of each hour of the local day (0..23). */
const HOUR_WEIGHTS = [3.0, 2.3, 1.7, 1.1, 0.8, 0.8, 1.2, 2.2, 3.3, 3.8, 4.0, 4.1, 4.0, 3.9, 4.0, 4.1, 4.3, 4.7, 5.0, 5.8, 6.2, 6.2, 5.8, 4.5];
/** Sunday … Saturday; mean exactly 1. */
const WEEKDAY_FACTOR = [1.0, 0.93, 0.92, 0.94, 0.97, 1.08, 1.16];

/** Level-1 family → share of incidents (sums to 100). */
const FAMILY_WEIGHTS: Record<string, number> = {
  '01': 8,
  '02': 12,
  '03': 20,
  '04': 2.5,
  '05': 23,
  '06': 21,
  '07': 3.5,
  '08': 6,
  '09': 4,
};

/** Per-leaf relative weights within a family; others get a weight from their default priority. */
const LEAF_WEIGHT: Record<string, number> = {
  '01010101': 0.03, '01010201': 0.03, '01010202': 0.03, '01010301': 0.1, '01030101': 0.02, '01030102': 0.02,
  '01030201': 0.02, '01030202': 0.08, '01020101': 0.25, '01020301': 4, '01020204': 2.5, '01020202': 2,
  '01020201': 1.2, '01020205': 1.2, '01020206': 1.5, '01020402': 1.5,
  '02030101': 4, '02020202': 5, '02030102': 1.5, '02010103': 2, '02020204': 1.5, '02010101': 0.2,
  '03010102': 8, '03010101': 1.5, '03020102': 4, '03030101': 2, '03010103': 0.8,
  '05010101': 4, '05010103': 4, '05010203': 3, '05010201': 2, '05010202': 2, '05010205': 2, '05020101': 0.3, '05020102': 0.3,
  '06020101': 4, '06020103': 2.5, '06010202': 2.5, '06010201': 2, '06010102': 1, '06010101': 0.6, '06020102': 2,
  '08010101': 2, '08050101': 2, '08020101': 1.5,
  '09': 1,
}; // prettier-ignore
const PRIORITY_WEIGHT: Record<Priority, number> = { P1: 0.15, P2: 0.8, P3: 1.2, P4: 1.2 };

/** Disposition weights by family (closed after a response). */
const DISPOSITION_MIX: Record<string, Array<[DispositionCode, number]>> = {
  '01': [['D01', 70], ['D02', 10], ['D09', 14], ['D99', 6]],
  '02': [['D02', 45], ['D04', 30], ['D03', 10], ['D09', 12], ['D99', 3]],
  '03': [['D04', 55], ['D02', 25], ['D06', 12], ['D09', 6], ['D99', 2]],
  '04': [['D05', 65], ['D06', 25], ['D01', 3], ['D09', 7]],
  '05': [['D03', 62], ['D04', 28], ['D02', 4], ['D06', 4], ['D99', 2]],
  '06': [['D05', 80], ['D04', 14], ['D09', 6]],
  '07': [['D04', 40], ['D02', 20], ['D06', 20], ['D09', 20]],
}; // prettier-ignore

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严区麦冼岑霍伍关容'];
const DOUBLE_SURNAMES = ['欧阳', '司徒', '司马', '上官', '诸葛'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文辉俊宇浩然子轩梓涵欣怡诗雨嘉豪家明少华锦荣慧敏丽珍美玲婉婷永康国强伟雄志强嘉欣晓峰振华宏伟德明颖琳'];
const MAINLAND_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '157', '158', '159', '180', '181', '182', '186', '187', '188', '189'];

/* ------------------------------------------------------------------------------------------------ */
/* Description templates                                                                              */
/* ------------------------------------------------------------------------------------------------ */

const T: Record<string, string[]> = {
  '01010101': ['报警人称{place}发现一人倒地不动，身边有大量血迹，怀疑被人杀害，嫌疑人{direction}逃离'],
  '01010102': ['报警人称{relation2}在{place}与人发生争执后被对方用刀捅伤腹部，流血不止，对方{direction}逃跑', '报警人称{minutes}在{place}被{n}人围殴，头部受伤流血'],
  '01010103': ['报警人称{place}有{n}名男子持棍棒互殴，有人受伤'],
  '01010201': ['报警人称其{relation2}被人强行带上一辆{vehicle}，对方来电索要赎金{amount}'],
  '01010202': ['报警人称在{place}看到一名{person}抱着一名哭喊的小孩匆忙离开，孩子一直喊不认识他'],
  '01010203': ['报警人称朋友因欠款被债主关在{floor}楼一单位内，不让离开已经两天'],
  '01010301': ['报警人（女）称昨晚在朋友住处被对方强奸，现在在{place}，情绪很激动'],
  '01010302': ['报警人（女）称在巴士上被{man}摸臀部，对方已在{place}下车', '报警人称在{place}被{man}猥亵，对方穿{clothes}'],
  '01020101': ['报警人称{minutes}在{place}被{man}持刀抢劫，抢走{item}和现金约{amount}，对方{direction}逃跑'],
  '01020102': ['报警人称在{place}被两名骑电单车的男子抢走{item}，对方{direction}逃离', '报警人称{minutes}在{road}被人抢走挂在颈上的金项链'],
  '01020201': ['报警人称回家发现门锁被撬，家中{item}及现金约{amount}被盗', '报警人称住宅{floor}楼单位窗户被撬开，房间被翻乱，丢失{item}'],
  '01020202': ['报警人称在{place}乘车时{item}被扒窃，发现时小偷已下车', '报警人称在{place}人多处钱包被偷，内有证件和现金约{amount}'],
  '01020203': ['报警人称停在{road}的{vehicle}（车牌{plate}）不见了，怀疑被盗'],
  '01020204': ['报警人称停在{place}的电动车被偷，已锁车', '报警人称放在楼下的自行车被人剪锁偷走'],
  '01020205': ['报警人称停在{road}的{vehicle}车窗被砸，车内{item}被盗'],
  '01020206': ['报警人（店主）称{man}在店内偷东西后离开，监控有拍到，对方穿{clothes}'],
  '01020301': ['报警人称接到自称“公检法”人员电话，按要求向“安全账户”转账{amount}，后发现被骗', '报警人称参加网上刷单兼职，先后转账{amount}后对方失联', '报警人称在交友网站认识的“男友”推荐投资理财平台，已投入{amount}无法提现'],
  '01020302': ['报警人称在{place}被人以“捡到钱平分”为由骗走现金{amount}', '报警人称在{place}兑换货币时收到假币{amount}'],
  '01020401': ['报警人称与网友裸聊后被对方录像，对方勒索{amount}，否则发给其亲友'],
  '01020402': ['报警人称停在{road}的{vehicle}被人划花车身', '报警人称店铺玻璃门被人砸坏，嫌疑人{direction}离开'],
  '01030101': ['报警人称{place}附近传出巨响，疑似爆炸，有浓烟'],
  '01030102': ['报警人称同事饮用办公室饮水后出现呕吐，怀疑有人投毒'],
  '01030103': ['报警人称看到{man}在{place}点燃杂物后离开，现已起火'],
  '01030201': ['报警人称在{place}听到几声类似枪声的响声，有人{direction}跑'],
  '01030202': ['报警人称{place}有一个无人认领的可疑包裹，已放置超过一小时'],
  '02010101': ['报警人称{place}有十多人聚众斗殴，正在打架，有人拿棍子'],
  '02010102': ['报警人称{n}名年轻男子在{place}挑衅路人，踢翻垃圾桶，大声叫骂', '报警人称有人在{place}无故拦截路人滋事'],
  '02010103': ['报警人称{man}醉酒后在{place}大吵大闹，骚扰路人', '报警人称一名醉酒男子在餐厅内耍酒疯，摔碎杯碟'],
  '02010201': ['报警人（医院保安）称患者家属在急诊室大吵大闹，辱骂医生'],
  '02010202': ['报警人（学校保安）称有陌生男子试图闯入校园，被拦下后仍在门口徘徊'],
  '02010203': ['报警人（巴士司机）称乘客因车费问题与司机争吵，拒绝下车，影响行驶'],
  '02020101': ['报警人称{road}某单位内有人聚赌，每晚人员进出频繁', '报警人称{place}有人打麻将赌钱，吵闹至深夜'],
  '02020102': ['报警人称{road}某住宅单位疑有卖淫活动，陌生男子频繁出入'],
  '02020103': ['报警人称邻居单位经常传出刺鼻气味，怀疑有人吸毒'],
  '02020201': ['报警人称{place}有{man}腰间别着一把砍刀，形迹可疑'],
  '02020202': ['报警人称楼上住户深夜大声唱歌，音响声音很大，影响休息', '报警人称附近工地夜间施工，噪音扰民', '报警人称邻居装修噪音很大，多次沟通无果'],
  '02020203': ['报警人称有人在{place}燃放鞭炮，非常吵，担心引发火警'],
  '02020204': ['报警人称有{man}在{place}徘徊很久，不时查看各家门锁，形迹可疑', '报警人称{man}在住宅大堂逗留，试图跟随住户进门'],
  '02020205': ['报警人称有无人机在{place}上空低飞航拍，怀疑偷拍住户'],
  '02030101': ['报警人称在{place}因琐事与人发生争执，被对方打了几拳，脸部受伤', '报警人称{minutes}在{place}被{man}殴打，对方仍在现场'],
  '02030102': ['报警人（女）称被丈夫殴打，手臂有淤伤，现在躲在{place}', '报警人称邻居家传来女子哭喊声，怀疑家暴'],
  '02030201': ['报警人称前同事多次发信息威胁要找人“教训”他', '报警人称收到陌生电话恐吓，扬言要烧其店铺'],
  '02030202': ['报警人（女）称在商场洗手间发现有人用手机偷拍'],
  '02030203': ['报警人称有人在网上发帖造谣，侮辱其人格'],
  '03010101': ['报警人称{road}一辆{vehicle}撞倒一名行人，行人倒地受伤', '报警人称{road}两车相撞，有人受伤被困车内'],
  '03010102': ['报警人称在{road}其{vehicle}被后车追尾，无人受伤，双方对责任有争议', '报警人称{road}两车刮擦，没有人受伤，需要交警处理', '报警人称停在{road}的{vehicle}被倒车的货车撞到'],
  '03010103': ['报警人称在{road}被一辆{vehicle}撞到后，对方驾车逃逸，车牌约为{plate}'],
  '03020101': ['报警人称在{road}看到一辆{vehicle}行驶蛇形，怀疑司机醉驾', '报警人称有人在餐厅喝酒后准备开车离开'],
  '03020102': ['报警人称每晚有电单车在{road}飙车，声音很大'],
  '03020103': ['报警人称{road}有一辆{vehicle}逆行，很危险'],
  '03020201': ['报警人称有{vehicle}停在车库出口，堵住出入，车牌{plate}', '报警人称{road}有车辆违停，占用巴士站'],
  '03020202': ['报警人称有未成年人驾驶电单车在{road}行驶'],
  '03030101': ['报警人称{road}严重塞车，车辆无法前行', '报警人称{road}车辆排长龙，怀疑前方发生事故'],
  '03030102': ['报警人称{road}有货车掉落的杂物，影响通行', '报警人称{road}有大树倒下阻塞车道'],
  '03030103': ['报警人称{road}路口红绿灯不亮，交通混乱'],
  '04010101': ['报警人称{road}某大厦{floor}楼单位着火，有浓烟冒出', '报警人称{place}的垃圾房起火，火势正在蔓延'],
  '04010102': ['报警人称{road}一辆{vehicle}车头冒烟起火'],
  '04010103': ['报警人称在山上步行径看到山火，烟很大'],
  '04020101': ['报警人称在{road}某大厦电梯被困，电梯内有{n}人', '报警人称家中老人反锁在浴室内出不来'],
  '04020102': ['报警人称在海边看到有人落水，正在挣扎'],
  '04020103': ['报警人称朋友发信息说不想活了，现在在{place}天台', '报警人称有人坐在大桥栏杆外，疑似准备跳海'],
  '04020201': ['报警人称工厂内有化学品泄漏，刺鼻气味很浓'],
  '04020202': ['报警人称家中闻到很浓的煤气味，怀疑漏气', '报警人称{road}餐厅后巷有燃气泄漏气味'],
  '04020203': ['报警人称台风期间{road}水浸严重，有车辆被困', '报警人称{road}招牌被风吹倒，砸到停泊车辆'],
  '04020204': ['报警人称{road}旧楼外墙剥落，有部分倒塌'],
  '05010101': ['报警人称与{relation}因家务琐事发生争吵，需要民警到场处理', '报警人称{relation}喝酒后在家吵闹摔东西，双方正在争吵', '报警人称与{relation}因子女教育问题发生纠纷'],
  '05010102': ['报警人称前男友到其住处纠缠，拒绝离开', '报警人称与女友分手后对方到其公司吵闹'],
  '05010103': ['报警人称楼上单位漏水到其家中，对方拒绝维修', '报警人称邻居长期在走廊堆放杂物，沟通时发生争吵', '报警人称与邻居因车位问题发生争执'],
  '05010201': ['报警人称朋友借款{amount}到期不还，现在对方店铺追讨发生争执', '报警人称有人上门讨债，在门口吵闹'],
  '05010202': ['报警人称公司拖欠其两个月工资，老板拒绝支付', '报警人称被辞退后老板不结算工资，双方在{place}争吵'],
  '05010203': ['报警人称在{place}消费后商家收费与标价不符，拒绝退款', '报警人称在餐厅买单时对收费有争议'],
  '05010204': ['报警人称房东不退押金，双方发生争执', '报警人称租客欠租三个月，拒绝搬走'],
  '05010205': ['报警人称与的士司机因车费问题发生争执', '报警人称车辆刮擦后双方对赔偿金额有争议'],
  '05010301': ['报警人称与大厦管理处因管理费问题发生争执', '报警人称管理处保安不让其车辆进入停车场'],
  '05010302': ['报警人称对医院诊疗结果不满，与医生发生争执'],
  '05010303': ['报警人称外卖送错地址，与外卖员发生争执', '报警人称网购商品质量有问题，商家拒绝退货'],
  '05020101': ['报警人称约{n}十名工人在{place}聚集讨要工资'],
  '05020102': ['报警人称{road}某大厦业主在管理处聚集，不满维修费用'],
  '06010101': ['报警人称{childAge}岁儿子在{place}走失，身穿{clothes}，已找了{minutes2}', '报警人称在{place}与{childAge}岁女儿走散，孩子不见了'],
  '06010102': ['报警人称{oldAge}岁父亲有认知障碍，{minutes2}前外出后未回家，身穿{clothes}', '报警人称家中{oldAge}岁老人走失，离家时穿{clothes}'],
  '06010103': ['报警人称{man}在{place}胡言乱语，情绪激动，疑似精神异常', '报警人称家人精神病发作，在家中大吵，需要协助送医'],
  '06010201': ['报警人称{place}有一名老人晕倒，需要帮助', '报警人称{man}在{place}突然抽搐倒地'],
  '06010202': ['报警人称{place}有一名醉汉躺在路边，怀疑醉倒', '报警人称{man}喝醉后坐在{place}无法自行回家'],
  '06010203': ['报警人称一名外地游客迷路，身上没钱回酒店', '报警人称{place}有一名老人迷路，说不清住址'],
  '06010204': ['报警人（女）称下班途中有人一直跟着她，现在在{place}', '报警人称前夫到其住处楼下守候，感到害怕，请求保护'],
  '06020101': ['报警人称在{place}遗失{item}，请求协助寻找', '报警人称乘坐的士时遗失{item}'],
  '06020102': ['报警人称在{place}捡到一个钱包，内有证件，想交给警方'],
  '06020103': ['报警人称钥匙锁在屋内，被锁在门外，家中有小孩', '报警人称被反锁在门外，请求协助联系开锁'],
  '06020104': ['报警人称{place}有流浪狗追咬路人', '报警人称家中阳台发现一条蛇'],
  '07010101': ['报警人举报{road}某单位有人贩毒，常有可疑人员出入'],
  '07010102': ['报警人举报{road}有地下赌场，夜间营业'],
  '07010103': ['报警人举报有人以高回报为由非法集资'],
  '07010104': ['报警人举报{road}有商铺售卖假冒商品', '报警人举报有人在{place}非法兑换货币'],
  '07020101': ['报警人投诉处警民警态度差', '报警人投诉民警处理纠纷时偏袒对方'],
  '07020102': ['报警人投诉报警后出警慢，等候时间过长'],
  '08010101': ['报警人称所住大厦停电，电梯停运', '报警人称{road}水管爆裂，路面积水'],
  '08010102': ['报警人称{road}井盖缺失，担心行人跌落', '报警人称{road}路灯不亮已经一周'],
  '08010103': ['报警人称{place}垃圾堆积发出臭味'],
  '08010104': ['报警人称{road}有小贩占道摆摊，影响通行'],
  '08020101': ['报警人称家中老人身体不适，需要救护车送医'],
  '08030101': ['报警人称大厦消防通道被杂物堵塞'],
  '08040101': ['报警人咨询交通违章罚款缴纳方法'],
  '08050101': ['报警人咨询居留证件办理所需材料'],
  '08050102': ['报警人咨询证件遗失补办手续'],
  '08050103': ['报警人咨询工伤赔偿相关规定'],
  '0901': ['电话接通后无人说话，回拨无人接听'],
  '0902': ['报警人称误拨110，无警情'],
  '0903': ['来电人反复拨打110，辱骂接警员后挂断', '来电人醉酒后拨打110闲聊，无警情'],
  '0904': ['来电人称{place}有人打架，经核实为谎报'],
  '0905': ['小孩玩电话误拨110，家长已确认无事'],
};

const PARTS: Record<string, readonly string[]> = {
  place: ['楼下', '住宅大堂', '商铺门口', '停车场', '巴士站旁', '街市门口', '酒店门口', '便利店内', '餐厅内', '娱乐场外', '公园内', '海边步行道', '学校附近', '商场内', '轻轨站出口', '后巷'],
  direction: ['往新马路方向', '往关闸方向', '往内港方向', '往海边方向', '往南湾方向', '往氹仔方向'],
  man: ['一名男子', '一名中年男子', '一名年轻男子', '一名约三十岁男子', '一名穿黑色上衣的男子', '一名戴帽子的男子', '一名光头男子'],
  woman: ['一名女子', '一名中年女子', '一名年轻女子'],
  clothes: ['黑色T恤', '灰色外套', '白色衬衫', '蓝色牛仔裤', '红色上衣', '校服', '格子衬衫', '黄色外套'],
  vehicle: ['白色私家车', '黑色轿车', '的士', '货车', '电单车', '旅游巴士', '银色七人车'],
  item: ['手机', '钱包', '背包', '证件', '笔记本电脑', '金项链', '手表', '相机'],
  amount: ['800元', '3000元', '5000元', '1.2万元', '2.6万元', '5万元', '8万元', '15万元'],
  minutes: ['刚才', '约五分钟前', '十分钟前', '半小时前'],
  minutes2: ['半小时', '一个多小时', '两个小时'],
  relation: ['丈夫', '妻子', '儿子', '女儿', '父亲', '母亲', '兄弟', '婆婆'],
  relation2: ['其朋友', '其弟弟', '其丈夫', '其同事', '其儿子'],
  n: ['两', '三', '四', '五'],
  floor: ['3', '5', '8', '12', '16', '21', '27'],
  childAge: ['3', '4', '5', '6', '7', '8'],
  oldAge: ['72', '76', '78', '81', '84', '87'],
};

const CANCEL_REASONS = ['报警人来电称已自行解决，撤警', '报警人称双方已和解，不需要民警到场', '报警人称误会一场，撤警', '报警人称已找到，撤警'];
const DISSATISFIED_SLOW = ['出警速度慢', '等候民警时间过长'];
const DISSATISFIED_OTHER = ['对处理结果不满意', '民警态度不好', '问题未解决', '未及时反馈处理结果'];
const BASIC_REASONS = ['希望加强巡逻', '处理及时但问题仍存在', '希望及时告知进展'];
const UNREACHABLE_REASONS = ['电话无人接听', '关机', '号码停机'];

/** Road names that are not places to put a door number or a hot spot at. */
const NOT_A_PLACE = /橋|桥|隧|專道|专道|環形|环形|天橋|高架|行車道/;

/**
 * The Chinese part of a bilingual OSM name ('紫薇街 Rua da Flor de Merenda' → '紫薇街'); names
 * without Chinese are kept whole; empty → undefined.
 */
function roadName(x: unknown): string | undefined {
  if (typeof x !== 'string' || !x.trim()) return undefined;
  const m = /^[\u3400-\u9fff\uf900-\ufaff（）()·\d]+/u.exec(x.trim());
  const zh = m?.[0].replace(/[（(]+$/, '').trim();
  return zh && /[\u3400-\u9fff]/.test(zh) ? zh : x.trim();
}

/* ------------------------------------------------------------------------------------------------ */
/* Geometry helpers                                                                                   */
/* ------------------------------------------------------------------------------------------------ */

interface Area {
  rings: number[][][][]; // polygons (each a list of rings)
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  cx: number;
  cy: number;
}

function toArea(p: DemoPolygonInput | null, center: readonly [number, number] | null): Area | null {
  if (!p) return null;
  const polys: number[][][][] = Array.isArray(p) ? [p] : p.type === 'Polygon' ? [p.coordinates] : p.coordinates;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity, sx = 0, sy = 0, n = 0; // prettier-ignore
  for (const poly of polys)
    for (const v of poly[0] ?? []) {
      minX = Math.min(minX, v[0]);
      maxX = Math.max(maxX, v[0]);
      minY = Math.min(minY, v[1]);
      maxY = Math.max(maxY, v[1]);
      sx += v[0];
      sy += v[1];
      n++;
    }
  if (n === 0) return null;
  return { rings: polys, minX, minY, maxX, maxY, cx: center?.[0] ?? sx / n, cy: center?.[1] ?? sy / n };
}

function inArea(a: Area, lon: number, lat: number): boolean {
  if (lon < a.minX || lon > a.maxX || lat < a.minY || lat > a.maxY) return false;
  return a.rings.some((poly) => pointInPolygon(lon, lat, poly));
}

/* ------------------------------------------------------------------------------------------------ */
/* Generator                                                                                          */
/* ------------------------------------------------------------------------------------------------ */

interface Draft {
  incident: DemoIncident;
  stationCode: string;
  recordedMs: number;
  order: number;
}

interface Hotspot {
  lon: number;
  lat: number;
  text: string;
  code: string | null;
  road: string;
  families: string[];
}

const HOTSPOT_KINDS: Array<{ label: string; families: string[] }> = [
  { label: '酒吧街', families: ['02', '05', '02'] },
  { label: '夜市', families: ['05', '01', '06'] },
  { label: '娱乐场', families: ['01', '05', '02'] },
  { label: '安老院', families: ['06', '06', '05'] },
  { label: '旧区唐楼', families: ['05', '05', '02'] },
  { label: '交通路口', families: ['03', '03', '05'] },
  { label: '轻轨站', families: ['06', '01', '06'] },
  { label: '批发街市', families: ['05', '03', '01'] },
  { label: '网吧', families: ['02', '05', '01'] },
  { label: '大型屋苑', families: ['05', '06', '02'] },
  { label: '卡拉OK', families: ['02', '05', '02'] },
  { label: '口岸广场', families: ['06', '01', '03'] },
];

const SEC = 1000;
const MIN = 60_000;
const HOUR = 3_600_000;

export function generateDemoHistory(input: DemoHistoryInput): DemoIncident[] {
  const days = input.days ?? 365;
  const perDay = input.perDay ?? 90;
  const rng = mulberry32(input.seed);
  const nowMs = input.now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('demo history: invalid now');
  if (input.stations.length === 0) throw new Error('demo history: no stations');
  if (input.roadPoints.length === 0 && !(input.addresses && input.addresses.length > 0)) throw new Error('demo history: no road points or addresses');

  /* ---- random helpers ---- */
  const r = () => rng();
  const between = (a: number, b: number) => a + (b - a) * r();
  /** Skewed toward a (k > 1). */
  const skew = (a: number, b: number, k: number) => a + (b - a) * r() ** k;
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(r() * xs.length)];
  const digits = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += String(Math.floor(r() * 10));
    return s;
  };
  const weighted = <X>(items: readonly X[], cum: Float64Array): X => {
    const x = r() * cum[cum.length - 1];
    let lo = 0, hi = cum.length - 1; // prettier-ignore
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo];
  };
  const cumulative = (ws: readonly number[]) => {
    const c = new Float64Array(ws.length);
    let s = 0;
    ws.forEach((w, i) => (c[i] = s += w));
    return c;
  };

  /* ---- areas ---- */
  const stations = input.stations.map((s) => ({ s, area: toArea(s.polygon, s.center) }));
  const gridsByStation = new Map<string | null, Array<{ id: string; area: Area | null }>>();
  for (const g of input.grids) {
    const list = gridsByStation.get(g.parentId) ?? [];
    list.push({ id: g.id, area: toArea(g.polygon, null) });
    gridsByStation.set(g.parentId, list);
  }
  const locate = (lon: number, lat: number): { station: DemoHistoryStation; gridId: string | null } => {
    let st = stations.find((x) => x.area && inArea(x.area, lon, lat));
    if (!st) {
      let best = Infinity;
      for (const x of stations) {
        const c = x.area ? [x.area.cx, x.area.cy] : x.s.center;
        if (!c) continue;
        const d = (c[0] - lon) ** 2 + (c[1] - lat) ** 2;
        if (d < best) {
          best = d;
          st = x;
        }
      }
      st ??= stations[0];
    }
    const grids = gridsByStation.get(st.s.id) ?? [];
    let g = grids.find((x) => x.area && inArea(x.area, lon, lat));
    if (!g) {
      let best = Infinity;
      for (const x of grids) {
        if (!x.area) continue;
        const d = (x.area.cx - lon) ** 2 + (x.area.cy - lat) ** 2;
        if (d < best) {
          best = d;
          g = x;
        }
      }
    }
    return { station: st.s, gridId: g?.id ?? null };
  };

  /* ---- categories ---- */
  const families = Object.keys(FAMILY_WEIGHTS);
  const leavesByFamily = new Map<string, { leaves: CategoryNode[]; cum: Float64Array }>();
  for (const f of families) {
    const leaves = leafCategories().filter((l) => l.code.startsWith(f));
    const ws = leaves.map((l) => LEAF_WEIGHT[l.code] ?? LEAF_WEIGHT[f] ?? PRIORITY_WEIGHT[l.defaultPriority ?? 'P3']);
    leavesByFamily.set(f, { leaves, cum: cumulative(ws) });
  }
  const familyCumByHour: Float64Array[] = [];
  for (let h = 0; h < 24; h++) {
    const night = h >= 20 || h < 3;
    const rush = (h >= 7 && h <= 9) || (h >= 17 && h <= 19);
    familyCumByHour.push(
      cumulative(families.map((f) => FAMILY_WEIGHTS[f] * (night && (f === '02' || f === '05') ? 1.4 : 1) * (rush && f === '03' ? 1.6 : 1) * (night && f === '03' ? 0.7 : 1))),
    );
  }
  const dispositionTables = new Map<string, { codes: DispositionCode[]; cum: Float64Array }>();
  for (const [f, mix] of Object.entries(DISPOSITION_MIX)) dispositionTables.set(f, { codes: mix.map((m) => m[0]), cum: cumulative(mix.map((m) => m[1])) });

  /* ---- people ---- */
  const personName = () => {
    const first = pick(GIVEN);
    let second = r() < 0.7 ? pick(GIVEN) : '';
    if (second === first) second = '';
    return (r() < 0.03 ? pick(DOUBLE_SURNAMES) : pick(SURNAMES)) + first + second;
  };
  const phone = () => (r() < 0.6 ? '6' + digits(7) : pick(MAINLAND_PREFIXES) + digits(8));
  const repeatCallers = Array.from({ length: 15 }, () => ({ name: personName(), phone: phone() }));

  /* ---- places ---- */
  const roadPoint = (points: readonly DemoRoadPoint[] = input.roadPoints) => {
    const p = pick(points);
    return { lon: p[0], lat: p[1], name: roadName((p as readonly unknown[])[2]) };
  };
  // Hot spots are places people gather, not bridges and tunnels.
  const placePoints = input.roadPoints.filter((p) => !NOT_A_PLACE.test(String((p as readonly unknown[])[2] ?? '')));
  const hasAddresses = !!input.addresses && input.addresses.length > 0;
  const hotspots: Hotspot[] = HOTSPOT_KINDS.map((k) => {
    if (hasAddresses && (input.roadPoints.length === 0 || r() < 0.7)) {
      const a = pick(input.addresses!);
      return { lon: a.lon, lat: a.lat, text: `${a.text}（${k.label}）`, code: a.code, road: a.text, families: k.families };
    }
    const p = roadPoint(placePoints.length > 0 ? placePoints : input.roadPoints);
    return { lon: p.lon, lat: p.lat, text: `${p.name ?? '某街道'}（${k.label}）`, code: null, road: p.name ?? '附近', families: k.families };
  });
  const jitter = (lon: number, lat: number, m: number): [number, number] => {
    const dx = (r() * 2 - 1) * m;
    const dy = (r() * 2 - 1) * m;
    return [lon + dx / (111_320 * Math.cos((lat * Math.PI) / 180)), lat + dy / 110_574];
  };
  const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

  /* ---- description ---- */
  const fill = (tpl: string, road: string) =>
    tpl.replace(/\{(\w+)\}/g, (_, k: string) => {
      if (k === 'road') return road;
      if (k === 'person') return pick(r() < 0.6 ? PARTS.man : PARTS.woman);
      if (k === 'plate') return `M${String.fromCharCode(65 + Math.floor(r() * 26))}-${digits(2)}-${digits(2)}`;
      const list = PARTS[k];
      return list ? pick(list) : '';
    });
  const describe = (code: string, road: string) => {
    const tpls = T[code];
    if (tpls) return fill(pick(tpls), road);
    const cat = findCategory(code);
    return `报警人称${road}发生${cat?.name ?? '警情'}，请求民警到场处理`;
  };

  /* ---- days ---- */
  const today = localDay(nowMs);
  const hourCum = (weekday: number) =>
    cumulative(
      HOUR_WEIGHTS.map((w, h) => {
        const friSatNight = (weekday === 5 || weekday === 6) && h >= 19;
        const weekendSmallHours = (weekday === 6 || weekday === 0) && h <= 3;
        return w * (friSatNight || weekendSmallHours ? 1.35 : 1);
      }),
    );
  const hourCums = Array.from({ length: 7 }, (_, wd) => hourCum(wd));
  const hours = Array.from({ length: 24 }, (_, h) => h);

  const drafts: Draft[] = [];
  let order = 0;
  for (let d = days; d >= 1; d--) {
    const day = addLocalDays(today, -d);
    const dayStart = localDayStart(day).getTime();
    const { weekday, month, day: dom } = localParts(dayStart);
    const doy = (month - 1) * 30.4 + dom;
    const season = 1 + 0.06 * Math.sin((2 * Math.PI * (doy - 110)) / 365);
    const count = Math.max(0, Math.round(perDay * WEEKDAY_FACTOR[weekday] * season * between(0.9, 1.1)));

    for (let i = 0; i < count; i++) {
      const hour = weighted(hours, hourCums[weekday]);
      const callStarted = dayStart + hour * HOUR + Math.floor(r() * HOUR);

      /* where */
      const hot = r() < 0.06 ? pick(hotspots) : null;
      let family = hot && r() < 0.7 ? pick(hot.families) : weighted(families, familyCumByHour[hour]);
      let lon: number, lat: number, addressText: string, addressCode: string | null = null, road: string; // prettier-ignore
      if (hot) {
        [lon, lat] = jitter(hot.lon, hot.lat, 20);
        addressText = hot.text;
        addressCode = hot.code;
        road = hot.road;
      } else if (hasAddresses && family !== '03' && (input.roadPoints.length === 0 || r() < 0.55)) {
        const a = pick(input.addresses!);
        [lon, lat] = [a.lon, a.lat];
        addressText = a.text;
        addressCode = a.code;
        road = a.text;
      } else {
        const p = roadPoint(family === '03' || placePoints.length === 0 ? input.roadPoints : placePoints);
        [lon, lat] = family === '03' ? [p.lon, p.lat] : jitter(p.lon, p.lat, 25);
        road = p.name ?? '路边';
        addressText = !p.name
          ? `地图定位（${round6(lon).toFixed(5)}, ${round6(lat).toFixed(5)}）`
          : NOT_A_PLACE.test(p.name)
            ? `${p.name}上`
            : `${p.name}${1 + Math.floor(r() * 120)}号附近`;
      }
      lon = round6(lon);
      lat = round6(lat);
      const { station, gridId } = locate(lon, lat);

      /* how it came in */
      const sx = r();
      let source: IncidentSource = 'call110';
      if (family !== '09') {
        if (sx < 0.005) source = 'device_alarm';
        else if (sx < 0.015) source = 'sms110';
        else if (sx < 0.05 && family !== '04') source = 'citizen_portal';
        else if (sx < 0.07 && (family === '05' || family === '08' || family === '07')) source = 'hotline12345';
        else if (sx < 0.1 && (family === '01' || family === '05' || family === '06')) source = 'walk_in';
        else if (sx < 0.115 && (family === '02' || family === '03')) source = 'officer';
      }
      let code: string;
      if (source === 'device_alarm') {
        family = '06';
        code = '06010204'; // 一键报警: request for protection
      } else {
        const fam = leavesByFamily.get(family)!;
        code = weighted(fam.leaves, fam.cum).code;
      }
      const cat = findCategory(code)!;
      const description = source === 'device_alarm' ? `一键式报警装置报警（${pick(['学校保安室', '银行网点', '珠宝店', '便利店'])}）` : describe(code, road);
      const priority = suggestPriority(code, description, { source }).priority;

      /* caller */
      let callerName: string | null = null;
      let callerPhone: string | null = null;
      if (source !== 'device_alarm' && source !== 'officer') {
        if (r() < 0.015) ({ name: callerName, phone: callerPhone } = pick(repeatCallers));
        else {
          callerPhone = phone();
          callerName = family === '09' || r() < 0.04 ? null : personName();
        }
      }

      /* intake times */
      let answered: number, recorded: number;
      if (source === 'device_alarm') {
        answered = callStarted;
        recorded = answered + Math.round(between(1, 2) * SEC);
      } else if (source === 'citizen_portal' || source === 'hotline12345') {
        answered = callStarted + Math.round(skew(1, 10, 1.5) * MIN);
        recorded = answered + Math.round(between(40, 90) * SEC);
      } else if (source === 'walk_in') {
        answered = callStarted + Math.round(between(5, 60) * SEC);
        recorded = answered + Math.round(between(60, 180) * SEC);
      } else if (source === 'officer') {
        answered = callStarted;
        recorded = answered + Math.round(between(30, 90) * SEC);
      } else {
        answered = callStarted + Math.round(skew(3, 15, 1.6) * SEC);
        recorded = answered + Math.round((priority === 'P1' ? between(40, 65) : between(40, 90)) * SEC);
      }

      const draft: DemoIncident = {
        number: '',
        source,
        categoryCode: code,
        priority,
        callerName,
        callerPhone,
        addressText,
        addressCode,
        lon,
        lat,
        description,
        stationId: station.id,
        gridId,
        status: 'closed',
        dispositionCode: null,
        callStartedAt: new Date(callStarted),
        answeredAt: new Date(answered),
        recordedAt: new Date(recorded),
        dispatchedAt: null,
        enRouteAt: null,
        onSceneAt: null,
        clearedAt: null,
        closedAt: null,
        transferredAt: null,
        transferTo: null,
        cancelledAt: null,
        cancelReason: null,
      };

      /* outcome */
      if (isPureTransfer(code)) {
        draft.status = 'transferred';
        draft.dispositionCode = 'D06';
        draft.transferTo = cat.transferTo ?? '12345';
        draft.transferredAt = new Date(recorded + Math.round(between(20, 120) * SEC));
      } else if (family === '09') {
        draft.dispositionCode = 'D07';
        draft.closedAt = new Date(recorded + Math.round(between(5, 30) * SEC));
      } else if ((family === '06' || family === '07') && priority === 'P4' && r() < 0.25) {
        draft.dispositionCode = 'D04'; // answered on the phone
        draft.closedAt = new Date(recorded + Math.round(between(30, 120) * SEC));
      } else {
        const dispatchS = priority === 'P1' ? skew(30, 90, 1.5) : priority === 'P2' ? skew(45, 180, 1.5) : priority === 'P3' ? skew(60, 300, 1.4) : skew(90, 300, 1.2);
        const dispatched = recorded + Math.round(dispatchS * SEC);
        const ack = Math.round((priority === 'P1' ? between(5, 30) : between(10, 60)) * SEC);
        const travelMin = priority === 'P1' ? skew(3, 8, 1.4) : priority === 'P2' ? skew(4, 10, 1.4) : priority === 'P3' ? skew(5, 15, 1.3) : skew(6, 15, 1.2);
        const onScene = dispatched + Math.max(Math.round(travelMin * MIN), ack + MIN);
        draft.dispatchedAt = new Date(dispatched);

        if (source !== 'device_alarm' && r() < 0.015) {
          // Caller withdraws before the unit arrives.
          draft.status = 'cancelled';
          const enRoute = r() < 0.6;
          if (enRoute) draft.enRouteAt = new Date(dispatched + ack);
          draft.cancelledAt = new Date(dispatched + (enRoute ? ack : 0) + Math.round(between(0.5, 3) * MIN));
          draft.cancelReason = cat.code.startsWith('06010') ? CANCEL_REASONS[3] : pick(CANCEL_REASONS.slice(0, 3));
        } else {
          draft.enRouteAt = new Date(dispatched + ack);
          draft.onSceneAt = new Date(onScene);
          const onSceneMin = family === '01' ? between(25, 60) : family === '06' ? skew(10, 45, 1.3) : between(12, 60);
          const cleared = onScene + Math.round(onSceneMin * MIN);
          draft.clearedAt = new Date(cleared);
          let disp: DispositionCode;
          if (source === 'device_alarm') disp = r() < 0.55 ? 'D07' : 'D09';
          else if (code === '06010101' || code === '06010102' || code === '06010201') disp = 'D05';
          else if (family === '05' && code.startsWith('0501')) disp = r() < 0.7 ? 'D03' : 'D04';
          else {
            const t = dispositionTables.get(family)!;
            disp = weighted(t.codes, t.cum);
          }
          draft.dispositionCode = disp;
          const closeMin = disp === 'D01' || disp === 'D02' ? between(10, 90) : between(2, 20);
          draft.closedAt = new Date(cleared + Math.round(closeMin * MIN));
          draft.callback = makeCallback(draft, (onScene - dispatched) / MIN);
        }
      }
      if (draft.status === 'closed' && !draft.callback && draft.dispositionCode === 'D04') draft.callback = makeCallback(draft, 0);

      // Drop anything not yet past (only possible for the last day's late incidents).
      const endMs = (draft.closedAt ?? draft.transferredAt ?? draft.cancelledAt)!.getTime();
      if (endMs > nowMs) continue;
      if (draft.callback && draft.callback.at.getTime() > nowMs) delete draft.callback;
      drafts.push({ incident: draft, stationCode: station.code, recordedMs: recorded, order: order++ });
    }
  }

  function makeCallback(d: DemoIncident, travelMin: number): DemoCallback | undefined {
    if (!d.callerPhone || !d.closedAt || d.dispositionCode === 'D07' || r() >= 0.9) return undefined;
    let at = d.closedAt.getTime() + Math.round(between(3, 30) * HOUR);
    const h = localParts(at).hour;
    if (h < 9) at += (9 - h) * HOUR;
    else if (h >= 21) at += (33 - h) * HOUR;
    const x = r();
    if (x < 0.05) return { outcome: 'unreachable', reason: pick(UNREACHABLE_REASONS), at: new Date(at) };
    const slow = travelMin > 11;
    const pDis = 0.01 + (slow ? 0.03 : 0) + (d.dispositionCode === 'D09' ? 0.01 : 0);
    const y = r();
    if (y < pDis) return { outcome: 'dissatisfied', reason: slow && r() < 0.7 ? pick(DISSATISFIED_SLOW) : pick(DISSATISFIED_OTHER), at: new Date(at) };
    if (y < pDis + 0.06) return r() < 0.5 ? { outcome: 'basically_satisfied', reason: pick(BASIC_REASONS), at: new Date(at) } : { outcome: 'basically_satisfied', at: new Date(at) };
    return { outcome: 'satisfied', at: new Date(at) };
  }

  /* ---- numbering: gap-free per station per local day, in recorded order ---- */
  drafts.sort((a, b) => a.recordedMs - b.recordedMs || a.order - b.order);
  const seqs = new Map<string, number>();
  return drafts.map((d) => {
    const key = `${d.stationCode}|${localDay(d.recordedMs)}`;
    const seq = (seqs.get(key) ?? 0) + 1;
    seqs.set(key, seq);
    d.incident.number = formatIncidentNumber(d.stationCode, d.recordedMs, seq);
    return d.incident;
  });
}
