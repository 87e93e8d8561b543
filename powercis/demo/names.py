"""Synthetic but realistic Chinese names, addresses, ID numbers and phone numbers for the demo.

Everything is drawn from a ``random.Random`` the caller seeds, so the same seed gives the same
company. The people and organisations are invented; no list of real persons is used.
"""

from __future__ import annotations

import datetime as dt
import random

# The most common surnames (百家姓 by frequency), weighted roughly by their share.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_MALE = "伟强军磊洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林建国志文海峰德兵春生永东成亮福"
GIVEN_FEMALE = "芳娟敏静丽艳霞秀燕玲桂英兰红梅琳雪婷慧莉萍娜倩洁琴云颖玉珍凤晶欣佳怡丹蓉秋月兰菊彩"
GIVEN_ANY = "子晓小思梓雨欣一嘉家俊博文宏志国明春玉建新金永海"

# Place-name syllables for villages, communities and roads.
PLACE_FIRST = "东西南北前后上下新老大小高低长青红白黄金石沙杨柳桃李枣梅竹松河湖塘桥港湾圩"
PLACE_SECOND = "湖河塘桥庄集店岗湾圩坝港墩营寨林园埠口山岭洲泽"
ROAD_WORDS = ("人民", "解放", "建设", "中山", "跃进", "新华", "胜利", "和平", "文化", "健康", "幸福", "光明", "振兴", "团结")
ROAD_KINDS = ("路", "街", "大道")
COMMUNITY_KINDS = ("花园", "新村", "小区", "家园", "苑", "公寓")
COMMUNITY_WORDS = ("阳光", "锦绣", "金色", "翠湖", "碧水", "丽景", "康居", "福安", "和谐", "世纪", "东方", "盛世")

SHOP_WORDS = ("金福", "永兴", "鑫源", "华联", "顺发", "利民", "惠民", "好又多", "家家乐", "万家", "新世纪", "众诚")
SHOP_KINDS = (
    "超市", "便利店", "饭店", "理发店", "五金店", "药房", "粮油店", "农资店", "汽修厂", "宾馆", "茶楼", "服装店",
    "家电商场", "快递驿站", "幼儿园", "卫生室", "加油站", "通信营业厅",
)
FIRM_WORDS = ("宏达", "华东", "金鼎", "瑞丰", "恒通", "永盛", "天成", "新宇", "中联", "博远", "润泽", "德信")
FIRM_KINDS = (
    "纺织", "机械制造", "化工", "建材", "铸造", "食品", "塑料制品", "电子科技", "金属制品", "木业", "水泥制品", "包装材料",
)
FARM_KINDS = ("排灌站", "家庭农场", "水产养殖场", "蔬菜种植合作社", "养殖专业合作社", "粮食烘干中心", "茶叶种植基地")

# Area code of the (invented) county for ID numbers: a Jiangsu prefecture prefix with a county part.
REGION_CODE = "320999"


def person_name(rng: random.Random) -> str:
    surname = rng.choice(SURNAMES[:40]) if rng.random() < 0.8 else rng.choice(SURNAMES)
    pool = GIVEN_MALE if rng.random() < 0.5 else GIVEN_FEMALE
    if rng.random() < 0.35:
        return surname + rng.choice(pool)
    return surname + rng.choice(GIVEN_ANY + pool) + rng.choice(pool)


def place_name(rng: random.Random) -> str:
    return rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND)


def village_names(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct village/community names."""
    out: list[str] = []
    while len(out) < n:
        name = place_name(rng)
        if name not in out:
            out.append(name)
    return out


def town_address(rng: random.Random, town: str) -> str:
    if rng.random() < 0.55:
        community = rng.choice(COMMUNITY_WORDS) + rng.choice(COMMUNITY_KINDS)
        return (
            f"{town}{community}{rng.randint(1, 30)}幢{rng.randint(1, 4)}单元"
            f"{rng.randint(1, 6)}0{rng.randint(1, 4)}室"
        )
    road = rng.choice(ROAD_WORDS) + rng.choice(ROAD_KINDS)
    return f"{town}{road}{rng.randint(1, 399)}号"


def village_address(rng: random.Random, town: str, village: str) -> str:
    return f"{town}{village}村{rng.randint(1, 12)}组{rng.randint(1, 80)}号"


def shop_name(rng: random.Random, place: str) -> str:
    return f"{place}{rng.choice(SHOP_WORDS)}{rng.choice(SHOP_KINDS)}"


def firm_name(rng: random.Random, county: str) -> str:
    return f"{county}{rng.choice(FIRM_WORDS)}{rng.choice(FIRM_KINDS)}有限公司"


def farm_name(rng: random.Random, village: str, surname_of: str) -> str:
    kind = rng.choice(FARM_KINDS)
    if kind == "家庭农场":
        return f"{village}{surname_of[0]}氏家庭农场"
    return f"{village}{kind}"


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number(rng: random.Random) -> str:
    """An 18-character resident ID number (GB 11643) with a correct check character."""
    birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 62))
    body = f"{REGION_CODE}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    check = _ID_CHECK[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
    return body + check


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(rng: random.Random) -> str:
    """An 18-character unified social credit code (GB 32100) with a correct check character."""
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    body = "91" + REGION_CODE + "".join(rng.choice(_USCC_CHARS) for _ in range(9))
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + _USCC_CHARS[(31 - total % 31) % 31]


def mobile(rng: random.Random) -> str:
    prefix = rng.choice(("133", "135", "137", "138", "139", "150", "151", "152", "157", "158", "159", "177", "180",
                         "181", "182", "187", "188", "189", "199"))
    return prefix + f"{rng.randint(0, 99999999):08d}"


def landline(rng: random.Random) -> str:
    return f"0515-{rng.randint(80000000, 89999999)}"
