"""Invented sample data for the crm demo loader: cities, company name parts, people, deal scopes."""

from tandem.crm.choices import ActivityKind, DealType

OWNERS = ("sales", "sales2", "salesmgr")
# city: (province, region, administrative division code)
CITIES = {
    "武汉": ("湖北", "central", "420100"),
    "上海": ("上海", "east", "310000"),
    "南京": ("江苏", "east", "320100"),
    "苏州": ("江苏", "east", "320500"),
    "杭州": ("浙江", "east", "330100"),
    "合肥": ("安徽", "east", "340100"),
    "长沙": ("湖南", "central", "430100"),
    "郑州": ("河南", "central", "410100"),
    "成都": ("四川", "southwest", "510100"),
    "重庆": ("重庆", "southwest", "500000"),
    "西安": ("陕西", "northwest", "610100"),
    "天津": ("天津", "north", "120000"),
    "青岛": ("山东", "east", "370200"),
    "深圳": ("广东", "south", "440300"),
    "广州": ("广东", "south", "440100"),
    "厦门": ("福建", "east", "350200"),
}
CORES = [
    "华建",
    "中联",
    "恒信",
    "宏远",
    "瑞丰",
    "金诚",
    "鼎盛",
    "泰和",
    "锦程",
    "博远",
    "众诚",
    "润泽",
    "汇通",
    "天成",
    "蓝海",
    "同创",
    "中冶华科",
    "长江",
    "新城",
    "东湖",
]
# trade, industry, usual deal type
TRADES = [
    ("第一建设工程", "construction", DealType.INSTALLATION),
    ("建设工程", "construction", DealType.INSTALLATION),
    ("城市建设投资", "government", DealType.INSTALLATION),
    ("置业", "real_estate", DealType.INSTALLATION),
    ("地产开发", "real_estate", DealType.INSTALLATION),
    ("轨道交通", "transport", DealType.INSTALLATION),
    ("数据科技", "data_center", DealType.RETROFIT),
    ("云计算", "data_center", DealType.INSTALLATION),
    ("医疗投资", "healthcare", DealType.RETROFIT),
    ("生物医药", "healthcare", DealType.INSTALLATION),
    ("智能制造", "manufacturing", DealType.RETROFIT),
    ("精密机械", "manufacturing", DealType.MAINTENANCE),
    ("新能源", "energy", DealType.SUPPLY),
    ("热电", "energy", DealType.MAINTENANCE),
    ("酒店管理", "hospitality", DealType.MAINTENANCE),
    ("商业管理", "commercial", DealType.MAINTENANCE),
    ("物流", "transport", DealType.RETROFIT),
    ("教育科技", "education", DealType.DESIGN),
]
DISTRICTS = ["高新区", "经开区", "江北新区", "滨江区", "天河区"]
LEGAL_FORMS = ["有限公司", "有限责任公司", "股份有限公司", "集团有限公司"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "强",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "秀英",
    "建华",
    "志刚",
    "海燕",
    "晓东",
    "文博",
    "思远",
    "婷婷",
    "国栋",
]
TITLES = [
    "项目经理",
    "采购经理",
    "总工程师",
    "基建处处长",
    "机电主管",
    "设备部部长",
    "副总经理",
    "工程部经理",
    "物业经理",
    "财务总监",
]
DEAL_SCOPES = [
    ("机电安装工程", DealType.INSTALLATION, [("桥架及电缆", "米", 8000, 85), ("配电柜", "台", 24, 36000)]),
    ("暖通空调改造", DealType.RETROFIT, [("冷水机组", "台", 2, 680000), ("风机盘管", "台", 180, 2300)]),
    ("消防喷淋系统改造", DealType.RETROFIT, [("喷淋管道", "米", 3600, 120), ("报警阀组", "套", 6, 18000)]),
    ("中央空调年度维保", DealType.MAINTENANCE, [("年度维保服务", "年", 1, 360000)]),
    ("数据中心机房建设", DealType.INSTALLATION, [("精密空调", "台", 12, 156000), ("UPS 系统", "套", 2, 420000)]),
    ("BA 楼宇自控系统", DealType.INSTALLATION, [("DDC 控制器", "台", 60, 6800), ("系统集成调试", "项", 1, 260000)]),
    ("变配电工程", DealType.INSTALLATION, [("干式变压器", "台", 4, 210000), ("高低压开关柜", "面", 20, 52000)]),
    ("给排水及泵房改造", DealType.RETROFIT, [("变频供水设备", "套", 3, 98000)]),
    ("机电设计咨询", DealType.DESIGN, []),
    ("洁净厂房净化工程", DealType.INSTALLATION, [("净化空调机组", "台", 8, 185000)]),
]
# Stage position (1-6 in the default pipeline) → how many demo deals sit there.
STAGE_SPREAD = {1: 15, 2: 14, 3: 14, 4: 12, 5: 15, 6: 10}
LOST_REASONS = ["价格高于竞争对手", "客户预算取消", "项目延期至明年", "技术方案不满足要求", "竞争对手关系更好"]
ACTIVITY_SUBJECTS = {
    ActivityKind.CALL: ["电话沟通项目进度", "电话确认技术参数", "电话跟进报价反馈"],
    ActivityKind.VISIT: ["上门拜访客户", "现场踏勘", "陪同领导拜访"],
    ActivityKind.MEETING: ["技术交流会", "方案评审会", "商务谈判会议"],
    ActivityKind.EMAIL: ["发送技术方案", "发送报价单", "发送合同草稿"],
    ActivityKind.WECHAT: ["微信发送资料", "微信沟通样板间进度"],
    ActivityKind.NOTE: ["客户内部立项已批", "竞争对手报价情况记录"],
    ActivityKind.TASK: ["准备投标文件", "整理设备清单", "约客户参观样板工程"],
}
