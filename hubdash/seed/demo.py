"""Synthetic, plausible, deterministic regions at any scale, for benchmarks and demos (`demo-data`).

Every hub x indicator series is drawn toward its target along the straight path of shared/DOMAIN.md and
lands, at the last quarter, on a status picked beforehand (about half on track, a quarter at risk, a
quarter off track), so dashboards built on the data show a realistic mix. Every hub has submitted every
quarter, so summaries are as of the last one. Bulk rows go in as Core
inserts; the same arguments always give the same rows.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from hubdash import audit, db
from hubdash.domain.enums import (
    Accumulation,
    ActionOrigin,
    ActionStatus,
    Direction,
    FutureCourse,
    IndicatorKind,
    Measure,
    PdcaStage,
    Role,
    Sector,
)
from hubdash.domain.periods import FiscalQuarter, current_quarter, quarter_index
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.models import (
    ActionItem,
    Endorsement,
    Hub,
    HubMember,
    Indicator,
    Measurement,
    Organisation,
    PdcaCycle,
    QuarterSubmission,
    Region,
    StrategicGoal,
    Target,
    User,
    UserHubScope,
    VisionPart,
    VisionRevision,
    id_of,
    utcnow,
)

CODE_PREFIX = "demo-"
CHUNK_ROWS = 10_000
DESCRIPTION = "合成デモデータ（架空）：組織・人物・数値はすべて架空のものです。"  # Japanese, as the names in it

PREFECTURES: tuple[str, ...] = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県",
    "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県",
    "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県",
    "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県",
    "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県",
    "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県",
    "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)  # fmt: skip

# (code, sector, name pattern); {short} is the prefecture without 県/府/都, {pref} the full name.
_ORGANISATIONS: tuple[tuple[str, Sector, str], ...] = (
    ("univ", Sector.ACADEMIA, "{short}イノベーション工科大学"),
    ("kosen", Sector.ACADEMIA, "{short}テクノ高等専門学校"),
    ("precision", Sector.INDUSTRY, "{short}精工テクノロジーズ株式会社"),
    ("foods", Sector.INDUSTRY, "株式会社{short}フードラボ"),
    ("energy", Sector.INDUSTRY, "{short}グリーンエナジー株式会社"),
    ("pref", Sector.GOVERNMENT, "{pref} 産業振興課"),
    ("bank", Sector.FINANCE, "株式会社{short}共創銀行"),
    ("lab", Sector.PUBLIC_LAB, "{short}産業技術総合センター"),
    ("agency", Sector.SUPPORT_BODY, "公益財団法人{short}産業創造機構"),
    ("network", Sector.OTHER, "一般社団法人{short}未来共創ネットワーク"),
)
# Organisations that can run a hub's PDCA cycle, in the order hubs take them.
_CORE_CODES = ("univ", "lab", "agency", "kosen")

_HUB_THEMES: tuple[tuple[str, str], ...] = (
    ("ものづくりDX", "製造業のデジタル化と生産性向上"),
    ("ヘルスケア", "医療・健康・介護分野の製品開発"),
    ("食と農のイノベーション", "農林水産物の高付加価値化と食品産業の振興"),
    ("グリーントランスフォーメーション", "再生可能エネルギーと脱炭素技術の実装"),
    ("半導体・エレクトロニクス", "半導体関連産業の集積と人材育成"),
    ("観光・地域資源", "観光DXと地域資源の活用"),
    ("海洋・水産", "海洋資源の利用と水産業の高度化"),
    ("防災・インフラ", "防災技術とインフラ維持管理の高度化"),
)

_GOALS: tuple[tuple[str, str], ...] = (
    ("産学官金の連携による新事業・新産業の創出", "研究シーズと地域企業の技術を結び付けて事業化する。"),
    ("地域企業の研究開発力と生産性の向上", "共同研究と技術相談を通じて、研究開発と生産性を高める。"),
    ("イノベーションを担う人材の育成と定着", "若手研究者・技術者を育て、地域に定着させる。"),
    ("スタートアップと技術移転による知の事業化", "大学発ベンチャーとライセンスで研究成果を社会に届ける。"),
    ("脱炭素と持続可能な地域経済への転換", "連携企業の排出削減と再生可能エネルギーの導入を進める。"),
)
_GOAL_REVISED = (4, "脱炭素・GXによる持続可能な地域経済への転換")  # G5 as reworded in revision 2

_COMMITMENTS: dict[Sector, str] = {
    Sector.INDUSTRY: "連携企業は研究開発投資を拡大し、大学・公設試との共同研究に積極的に参画する。",
    Sector.ACADEMIA: "大学・高専は研究シーズを開示し、地域企業との共同研究と人材育成を担う。",
    Sector.GOVERNMENT: "県は拠点の運営と実証の場を予算と制度の両面で支え、施策の効果を毎年検証する。",
    Sector.FINANCE: "金融機関は事業化段階の資金供給と伴走支援を行う。",
    Sector.PUBLIC_LAB: "公設試験研究機関は試作・評価設備を開放し、技術相談に迅速に応える。",
    Sector.SUPPORT_BODY: "支援機関はコーディネーターを配置し、企業と研究者のマッチングを進める。",
    Sector.OTHER: "地域の団体は住民・学生への発信と参画の機会をつくる。",
}

_ACTIONS: tuple[str, ...] = (
    "共同研究テーマの検討会を開催する",
    "技術相談窓口の対応フローを見直す",
    "マッチングイベントの参加企業を募集する",
    "指標の測定方法を関係機関と確認する",
    "補助金申請書の作成を支援する",
    "試作品の評価試験を実施する",
    "事業化資金の相談会を金融機関と開催する",
    "成果報告会の資料を準備する",
    "参画企業へのヒアリングを実施する",
    "人材育成講座のカリキュラムを改訂する",
)
_OPINIONS: tuple[str, ...] = (
    "成果指標の改善が見られる。取組の継続を求める。",
    "活動量は十分だが、成果指標への結び付きを示す必要がある。",
    "目標の水準は妥当。参画企業の裾野を広げるとよい。",
    "事業化までの道筋をより具体的に示すこと。",
)
_ACT_NOTES: tuple[str, ...] = (
    "重点企業への訪問頻度を増やす。",
    "評価の低い取組を見直し、予算を成果指標に近い事業へ移す。",
    "成功事例を横展開する。",
    "外部有識者の意見を踏まえ、次期計画の目標を点検する。",
)


@dataclass(frozen=True)
class _IndicatorTemplate:
    name: str
    unit: str
    kind: IndicatorKind
    measure: Measure
    direction: Direction
    accumulation: Accumulation
    base: float  # per hub: level, fiscal-year total (annual flow) or yearly rate (cumulative flow)
    change: float  # target relative to the baseline (cumulative: extra pace over the plan)
    decimals: int
    goal: int  # index into _GOALS
    tolerance: float = 0.1


def _t(
    name: str,
    unit: str,
    kind: IndicatorKind,
    measure: Measure,
    base: float,
    change: float,
    goal: int,
    *,
    decimals: int = 0,
    cumulative: bool = False,
    tolerance: float = 0.1,
) -> _IndicatorTemplate:
    """A template; a negative change (the target below the baseline) makes lower the better direction."""
    direction = Direction.LOWER if change < 0 else Direction.HIGHER
    accumulation = Accumulation.CUMULATIVE if cumulative else Accumulation.ANNUAL
    return _IndicatorTemplate(
        name, unit, kind, measure, direction, accumulation, base, change, decimals, goal, tolerance
    )


_I, _A, _P, _O = IndicatorKind.INPUT, IndicatorKind.ACTIVITY, IndicatorKind.OUTPUT, IndicatorKind.OUTCOME
_FLOW, _LEVEL = Measure.FLOW, Measure.LEVEL
# Ordered so that any first four cover every kind, both measures and a lower-is-better indicator;
# scales are large enough for whole-number units to fall inside the tolerance bands.
_INDICATORS: tuple[_IndicatorTemplate, ...] = (
    _t("連携企業のCO2排出量", "t-CO2", _O, _FLOW, 9000, -0.3, 4),
    _t("コーディネーター配置人数（常勤換算）", "人", _I, _LEVEL, 4.0, 0.75, 2, decimals=1),
    _t("企業訪問・技術相談件数", "件", _A, _FLOW, 320, 0.4, 1),
    _t("拠点への参画企業数", "社", _P, _LEVEL, 45, 0.6, 0),
    _t("共同研究契約件数", "件", _P, _FLOW, 14, 0.3, 1, cumulative=True),
    _t("連携企業の新規雇用者数", "人", _O, _FLOW, 25, 0.3, 2, cumulative=True),
    _t("共同研究費受入額", "百万円", _I, _FLOW, 85.0, 0.5, 1, decimals=1),
    _t("技術相談への平均回答日数", "日", _A, _LEVEL, 18.0, -0.4, 1, decimals=1),
    _t("連携による新規事業化件数", "件", _O, _FLOW, 5, 0.3, 0, cumulative=True, tolerance=0.15),
    _t("特許出願件数", "件", _P, _FLOW, 8, 0.3, 3, cumulative=True),
    _t("人材育成講座の修了者数", "人", _A, _FLOW, 240, 0.5, 2),
    _t("共用研究設備の台数", "台", _I, _LEVEL, 40, 0.7, 1),
    _t("連携企業の新製品・新サービス売上高", "百万円", _O, _FLOW, 450.0, 0.8, 0, decimals=1),
    _t("大学発ベンチャー設立数", "社", _P, _FLOW, 3, 0.3, 3, cumulative=True, tolerance=0.2),
    _t("マッチングイベント開催回数", "回", _A, _FLOW, 10, 0.3, 0, cumulative=True),
    _t("地域金融機関による連携企業への融資額", "百万円", _I, _FLOW, 600.0, 0.5, 0, decimals=1),
    _t("大学発ベンチャーの雇用者数", "人", _O, _LEVEL, 60, 0.8, 3),
    _t("論文・学会発表件数", "件", _P, _FLOW, 150, 0.5, 1),
    _t("拠点に参加する研究者数", "人", _I, _LEVEL, 35, 0.5, 2),
    _t("交流会・ワークショップ参加者数", "人", _A, _FLOW, 400, 0.4, 0),
    _t("連携企業の付加価値額", "億円", _O, _FLOW, 120.0, 0.3, 1, decimals=1),
    _t("実施中の共同研究プロジェクト数", "件", _P, _LEVEL, 25, 0.6, 1),
    _t("自治体の拠点関連予算額", "百万円", _I, _FLOW, 150.0, 0.3, 0, decimals=1),
    _t("試作・実証プロジェクト件数", "件", _A, _FLOW, 6, 0.3, 1, cumulative=True, tolerance=0.15),
    _t("連携企業の再生可能エネルギー導入量", "kW", _O, _LEVEL, 1500, 1.0, 4),
)

_OPEN_OR_DONE = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.DONE)
_EVIDENCE = "議事録・報告書を共有フォルダに保存"

# Fiscal Q4 (January to March) is the busy end of the Japanese fiscal year.
_SEASON = (0.9, 1.0, 1.0, 1.1)
# The share of series that end on track, at risk and off track.
_STATUS_SHARES = (0.5, 0.25, 0.25)


@dataclass(frozen=True)
class DemoSummary:
    """What generate_demo_data created (skipped regions count nowhere but in regions_skipped)."""

    regions_created: int = 0
    regions_skipped: int = 0
    hubs: int = 0
    indicators: int = 0
    targets: int = 0
    measurements: int = 0
    cycles: int = 0
    action_items: int = 0
    users: int = 0

    def __str__(self) -> str:
        return (
            f"demo regions: {self.regions_created} created, {self.regions_skipped} skipped (already there); "
            f"{self.hubs:,} hubs, {self.indicators:,} indicators, {self.targets:,} targets, "
            f"{self.measurements:,} measurements, {self.cycles:,} PDCA cycles, "
            f"{self.action_items:,} action items, {self.users:,} users"
        )


def region_code(number: int) -> str:
    """The code of the n-th demo region (1-based): demo-01, demo-02, ..."""
    return f"{CODE_PREFIX}{number:02d}"


def region_name(number: int) -> str:
    """The name of the n-th demo region: the prefectures in order, then again with a number."""
    rounds, position = divmod(number - 1, len(PREFECTURES))
    name = PREFECTURES[position]
    return name if rounds == 0 else f"{name} {rounds + 1}"


def default_end(today: date | None = None) -> FiscalQuarter:
    """The last quarter of demo data by default: the one before the current fiscal quarter."""
    return current_quarter(today).previous()


def generate_demo_data(
    *,
    session: Session,
    actor: Actor,
    regions: int,
    hubs_per_region: int = 4,
    indicators: int = 25,
    years: int = 10,
    seed: int = 0,
    end: FiscalQuarter | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Create demo regions demo-01 .. demo-NN with data up to `end`; codes already there are skipped."""
    require(actor, Permission.MANAGE_REGIONS)
    for name, value, least in (
        ("regions", regions, 0),
        ("hubs_per_region", hubs_per_region, 1),
        ("indicators", indicators, 1),
        ("years", years, 1),
    ):
        if value < least:
            raise ValueError(f"{name} must be at least {least}, not {value}")
    window = _Window.ending(end or default_end(), years)
    db.lock_for_write(session, "regions")
    existing = set(session.exec(select(Region.code).where(col(Region.code).startswith(CODE_PREFIX))).all())
    totals: dict[str, int] = {}
    created = skipped = 0
    for number in range(1, regions + 1):
        code = region_code(number)
        if code in existing:
            skipped += 1
            if progress:
                progress(f"{code} {region_name(number)}: already there, skipped")
            continue
        counts = _Region(
            session=session,
            actor=actor,
            number=number,
            hubs=hubs_per_region,
            indicators=indicators,
            window=window,
            rng=random.Random(f"hubdash-demo:{seed}:{number}"),
            now=utcnow(),
        ).write()
        created += 1
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        if progress:
            progress(
                f"{code} {region_name(number)}: {counts['hubs']} hubs, {counts['indicators']} indicators, "
                f"{counts['measurements']:,} measurements, {counts['cycles']:,} PDCA cycles"
            )
    return DemoSummary(regions_created=created, regions_skipped=skipped, **totals)


# --- periods and series -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Window:
    """The measured quarters (start..end, as indexes) and the plan every target runs on."""

    start: int
    end: int
    baseline: int  # a Q4: its fiscal-year total is the baseline of annual flows
    target: int  # a Q4

    @classmethod
    def ending(cls, end: FiscalQuarter, years: int) -> _Window:
        start = end.index - 4 * years + 1
        # The plan started from the fiscal year four years back (or the earliest one the data covers,
        # so that cumulative totals since the baseline are complete) and ends two years ahead.
        first_q4 = start - 1 + (3 - (start - 1) % 4)
        baseline = max(first_q4, FiscalQuarter(end.fiscal_year - 4, 4).index)
        return cls(start, end.index, baseline, FiscalQuarter(end.fiscal_year + 2, 4).index)

    @property
    def quarters(self) -> range:
        return range(self.start, self.end + 1)


@dataclass(frozen=True)
class _Series:
    """One hub's target of one indicator and its quarterly values over the window."""

    baseline: float
    target: float
    values: list[float]
    on_track: bool


def _round(value: float, decimals: int) -> float:
    return round(value, decimals) if decimals else float(round(value))


def _rounded_block(values: Sequence[float], decimals: int) -> list[float]:
    """Round each value so that every running total stays the rounded running total (no drift)."""
    out, total, previous = [], 0.0, 0.0
    for value in values:
        total += value
        rounded = _round(total, decimals)
        out.append(_round(rounded - previous, decimals))
        previous = rounded
    return out


class _SeriesMaker:
    """Draws the series of one indicator: targets from the template, values toward them."""

    def __init__(self, template: _IndicatorTemplate, window: _Window, rng: random.Random, scales: list[float]) -> None:
        self.t, self.w, self.rng = template, window, rng
        plan_years = (window.target - window.baseline) / 4
        raw = []
        for scale in scales:
            base = template.base * scale
            if template.accumulation is Accumulation.CUMULATIVE and template.measure is Measure.FLOW:
                start = base * rng.uniform(1.5, 4.0)  # achieved before the plan began
                raw.append((start, start + base * plan_years * (1 + template.change)))
            else:
                raw.append((base, base * (1 + template.change)))
        self.annual = template.measure is Measure.FLOW and template.accumulation is Accumulation.ANNUAL
        self.share = (window.end % 4 + 1) / 4 if self.annual else 1.0
        # More decimals when a tolerance band would be narrower than one step of the unit.
        smallest = min(abs(t - b) for b, t in raw) * template.tolerance * self.share
        self.decimals = template.decimals
        while self.decimals < 3 and 10.0**-self.decimals > smallest:
            self.decimals += 1
        self.ends = [(_round(b, self.decimals), _round(t, self.decimals)) for b, t in raw]

    def series(self, hub: int) -> _Series:
        baseline, target = self.ends[hub]
        roll = self.rng.random()
        tol = self.t.tolerance
        if roll < _STATUS_SHARES[0]:
            category, gap = 0, -self.rng.uniform(0.5, 2.0) * tol
        elif roll < _STATUS_SHARES[0] + _STATUS_SHARES[1]:
            category, gap = 1, self.rng.uniform(0.3, 0.7) * tol
        else:
            category, gap = 2, self.rng.uniform(1.5, 3.5) * tol
        if self.t.measure is Measure.LEVEL:
            values = self._level(baseline, target, gap, category)
        elif self.annual:
            values = self._annual(baseline, target, gap, category)
        else:
            values = self._cumulative(baseline, target, gap, category)
        return _Series(baseline, target, values, category == 0)

    def _fraction(self) -> float:
        w = self.w
        if self.annual:
            return (w.end // 4 - w.baseline // 4) / (w.target // 4 - w.baseline // 4)
        return (w.end - w.baseline) / (w.target - w.baseline)

    def _land(self, baseline: float, target: float, gap: float, category: int, floor: float) -> float:
        """The compared value at the last quarter: `gap` behind the path, on a unit step, in its band."""
        expected = (baseline + (target - baseline) * self._fraction()) * self.share
        span = target - baseline
        band = self.t.tolerance * abs(span) * self.share
        slack = 1e-6 * (1 + abs(expected) + abs(baseline) + abs(target))
        step = 10.0**-self.decimals
        wanted = _round(expected - gap * span * self.share, self.decimals)

        def fits(value: float) -> bool:
            behind = (expected - value) * (1 if span >= 0 else -1)
            if value < floor:
                return False
            if category == 0:
                return behind <= -slack
            if category == 1:
                return slack <= behind <= band - slack
            return behind >= band + slack

        for k in range(200):
            for value in (wanted + k * step, wanted - k * step):
                if fits(value):
                    return _round(value, self.decimals)
        return wanted  # no step of the unit fits the band: the status drifts to a neighbour

    def _level(self, baseline: float, target: float, gap: float, category: int) -> list[float]:
        w, rng, span = self.w, self.rng, target - baseline
        progress = 1 - gap / self._fraction()
        last = self._land(baseline, target, gap, category, 0.0)
        noise, out = 0.0, []
        for i in w.quarters:
            pace = 0.3 if i <= w.baseline else progress  # slower improvement before the plan
            noise = max(-0.08, min(0.08, 0.6 * noise + rng.gauss(0, 0.03)))
            value = baseline + span * pace * (i - w.baseline) / (w.target - w.baseline) + noise * abs(span)
            if i == w.baseline:
                value = baseline
            elif i == w.end:
                value = last
            out.append(_round(max(value, 0.0), self.decimals))
        return out

    def _annual(self, baseline: float, target: float, gap: float, category: int) -> list[float]:
        w, rng, span = self.w, self.rng, target - baseline
        first_fy, last_fy, base_fy = w.start // 4, w.end // 4, w.baseline // 4
        plan_years = w.target // 4 - base_fy
        progress = 1 - gap / self._fraction()
        out: list[float] = []
        for fy in range(first_fy, last_fy + 1):
            quarters = [i for i in range(quarter_index(fy, 1), quarter_index(fy, 4) + 1) if w.start <= i <= w.end]
            weights = [_SEASON[q] * max(0.5, 1 + rng.gauss(0, 0.08)) for q in range(4)]
            if fy == last_fy:
                total = self._land(baseline, target, gap, category, 0.0)
                weights = weights[: len(quarters)]
            elif fy == base_fy:
                total = baseline
            else:
                pace = 0.3 if fy < base_fy else progress
                total = baseline + span * pace * (fy - base_fy) / plan_years + rng.gauss(0, 0.05) * abs(span)
                total = max(total, 0.0)
            whole = [total * weight / sum(weights) for weight in weights]
            if fy == first_fy and fy != last_fy:
                whole = whole[4 - len(quarters) :]
            out.extend(_rounded_block(whole, self.decimals))
        return out

    def _cumulative(self, baseline: float, target: float, gap: float, category: int) -> list[float]:
        w, rng = self.w, self.rng
        # Counts never go down, so even an off-track hub keeps a tenth of the planned pace.
        gap = min(gap, 0.9 * self._fraction())
        last = self._land(baseline, target, gap, category, baseline)
        before = [i for i in w.quarters if i <= w.baseline]
        after = [i for i in w.quarters if i > w.baseline]
        pace = (target - baseline) / (w.target - w.baseline)
        history = [max(0.0, pace * 0.8 * (1 + rng.gauss(0, 0.25))) for _ in before]
        weights = [max(0.2, 1 + rng.gauss(0, 0.25)) for _ in after]
        plan = [(last - baseline) * weight / sum(weights) for weight in weights]
        return _rounded_block(history, self.decimals) + _rounded_block(plan, self.decimals)


# --- one region -----------------------------------------------------------------------------------


def _at(day: date, hour: int = 1) -> datetime:
    """A moment on a day (10:00 JST is 01:00 UTC), timezone-aware UTC."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for offset in range(0, len(rows), CHUNK_ROWS):
        yield rows[offset : offset + CHUNK_ROWS]


class _Region:
    """Writes one demo region: reference rows as ORM objects, the bulk as Core inserts."""

    def __init__(
        self,
        *,
        session: Session,
        actor: Actor,
        number: int,
        hubs: int,
        indicators: int,
        window: _Window,
        rng: random.Random,
        now: datetime,
    ) -> None:
        self.session, self.actor, self.rng, self.now, self.w = session, actor, rng, now, window
        self.n_hubs, self.n_indicators = hubs, indicators
        self.code, self.name = region_code(number), region_name(number)
        self.pref = PREFECTURES[(number - 1) % len(PREFECTURES)]
        self.short = self.pref if self.pref == "北海道" else self.pref[:-1]  # 青森県 -> 青森
        self.region_id = 0  # set by write()

    def _past(self, moment: datetime) -> datetime:
        return min(moment, self.now)

    def write(self) -> dict[str, int]:
        s = self.session
        region = Region(code=self.code, name=self.name, description=DESCRIPTION, created_at=self.now)
        s.add(region)
        s.flush()
        assert region.id is not None
        self.region_id = region.id

        orgs = self._organisations()
        hubs, members = self._hubs(orgs)
        council, managers = self._users(orgs, hubs)
        goals = self._vision(orgs, council)
        indicators = self._indicators(goals)
        series = self._targets(hubs, indicators)
        measurements = self._measurements(hubs, indicators, series, managers)
        cycles, actions = self._cycles(hubs, members, indicators, series, managers)
        counts = {
            "hubs": len(hubs),
            "indicators": len(indicators),
            "targets": len(series) + sum(i.kind is IndicatorKind.OUTCOME for i in indicators),
            "measurements": measurements,
            "cycles": cycles,
            "action_items": actions,
            "users": 1 + len(managers),
        }
        audit.record(
            s,
            self.actor,
            "region.demo_data",
            region,
            region_id=region.id,
            after={"code": region.code, "name": region.name, **counts},
        )
        s.flush()
        return counts

    def _organisations(self) -> dict[str, Organisation]:
        orgs = {
            code: Organisation(
                region_id=self.region_id,
                code=code,
                name=pattern.format(short=self.short, pref=self.pref),
                sector=sector,
            )
            for code, sector, pattern in _ORGANISATIONS
        }
        self.session.add_all(orgs.values())
        self.session.flush()
        return orgs

    def _hubs(self, orgs: dict[str, Organisation]) -> tuple[list[Hub], dict[int, list[int]]]:
        hubs = []
        for h in range(self.n_hubs):
            rounds, position = divmod(h, len(_HUB_THEMES))
            theme, description = _HUB_THEMES[position]
            suffix = "" if rounds == 0 else f" {rounds + 1}"
            core = orgs[_CORE_CODES[h % len(_CORE_CODES)]]
            hubs.append(
                Hub(
                    region_id=self.region_id,
                    code=f"H{h + 1}",
                    name=f"{self.short}{theme}拠点{suffix}",
                    theme=theme,
                    description=description,
                    core_institution_id=core.id,
                )
            )
        self.session.add_all(hubs)
        self.session.flush()
        members: dict[int, list[int]] = {}
        for hub in hubs:
            assert hub.id is not None and hub.core_institution_id is not None
            chosen = self.rng.sample(list(orgs.values()), self.rng.randint(3, 5))
            members[hub.id] = sorted({hub.core_institution_id} | {o.id for o in chosen if o.id is not None})
            self.session.add_all(HubMember(hub_id=hub.id, organisation_id=m) for m in members[hub.id])
        return hubs, members

    def _users(self, orgs: dict[str, Organisation], hubs: list[Hub]) -> tuple[User, list[User]]:
        council = User(
            username=f"{self.code}-council",
            display_name=f"{self.short} 協議会委員（デモ）",
            role=Role.COUNCIL_MEMBER,
            organisation_id=orgs["pref"].id,
            region_id=self.region_id,
        )
        managers = [
            User(
                username=f"{self.code}-{hub.code.lower()}-manager",
                display_name=f"{hub.name} マネージャー（デモ）",
                role=Role.HUB_MANAGER,
                organisation_id=hub.core_institution_id,
                region_id=self.region_id,
            )
            for hub in hubs
        ]
        self.session.add_all([council, *managers])
        self.session.flush()
        self.session.add_all(
            UserHubScope(user_id=id_of(user), hub_id=id_of(hub)) for user, hub in zip(managers, hubs, strict=True)
        )
        return council, managers

    def _vision(self, orgs: dict[str, Organisation], council: User) -> list[StrategicGoal]:
        s, rng = self.session, self.rng
        themes = [theme for theme, _ in _HUB_THEMES[: min(self.n_hubs, 2)]]
        first_statement = (
            f"{self.short}の産学官金が知と技術を結集し、{'と'.join(themes)}を核に、"
            "若者が挑戦し続けられる地域産業をつくる。"
        )
        statement = first_statement[:-1] + "とともに、2050年カーボンニュートラルに貢献する。"
        commitments = {sector.value: body for sector, body in _COMMITMENTS.items()}
        goals_v1 = {f"G{k + 1}": {"title": title, "description": d} for k, (title, d) in enumerate(_GOALS)}
        revised_index, revised_title = _GOAL_REVISED
        revised_code = f"G{revised_index + 1}"
        goals_v2 = {**goals_v1, revised_code: {**goals_v1[revised_code], "title": revised_title}}

        first_at = self._past(_at(FiscalQuarter.from_index(self.w.start).start_date))
        second_at = self._past(_at(FiscalQuarter.from_index(self.w.baseline).end_date + timedelta(days=30)))
        revisions = [
            VisionRevision(
                region_id=self.region_id,
                number=1,
                snapshot={"statement": first_statement, "commitments": commitments, "goals": goals_v1},
                changed_parts=[
                    "statement",
                    *(f"commitment:{sector}" for sector in commitments),
                    *(f"goal:{code}" for code in goals_v1),
                ],
                reason="協議会で地域ビジョンを策定",
                author_id=council.id,
                author_name=council.display_name,
                created_at=first_at,
            ),
            VisionRevision(
                region_id=self.region_id,
                number=2,
                snapshot={"statement": statement, "commitments": commitments, "goals": goals_v2},
                changed_parts=["statement", f"goal:{revised_code}"],
                reason="次期計画の策定に合わせ、脱炭素の視点を追加",
                author_id=council.id,
                author_name=council.display_name,
                created_at=max(first_at, second_at),
            ),
        ]
        s.add_all(revisions)
        goals = [
            StrategicGoal(
                region_id=self.region_id,
                code=code,
                title=goal["title"],
                description=goal["description"],
                position=position,
                version=2 if code == revised_code else 1,
                updated_at=revisions[1 if code == revised_code else 0].created_at,
            )
            for position, (code, goal) in enumerate(goals_v2.items(), start=1)
        ]
        s.add_all(goals)
        s.add(
            VisionPart(
                region_id=self.region_id,
                key="statement",
                body=statement,
                version=2,
                updated_at=revisions[1].created_at,
                updated_by_id=council.id,
            )
        )
        s.add_all(
            VisionPart(
                region_id=self.region_id,
                key=f"commitment:{sector}",
                body=body,
                updated_at=revisions[0].created_at,
                updated_by_id=council.id,
            )
            for sector, body in commitments.items()
        )
        s.flush()
        endorsers = rng.sample(list(orgs.values()), rng.randint(3, 5))
        for revision, group in ((revisions[0], endorsers[:2]), (revisions[1], endorsers)):
            s.add_all(
                Endorsement(
                    region_id=self.region_id,
                    revision_id=id_of(revision),
                    organisation_id=id_of(org),
                    person_name=f"{org.name} 代表者",
                    comment="ビジョンに賛同します。",
                    user_id=council.id if org.id == council.organisation_id else None,
                    endorsed_at=self._past(revision.created_at + timedelta(days=rng.randint(3, 40))),
                )
                for org in group
            )
        return goals

    def _indicators(self, goals: list[StrategicGoal]) -> list[Indicator]:
        indicators = []
        for k in range(self.n_indicators):
            rounds, position = divmod(k, len(_INDICATORS))
            t = _INDICATORS[position]
            if t.measure is Measure.LEVEL:
                definition = "各四半期末時点の値"
            elif t.accumulation is Accumulation.CUMULATIVE:
                definition = "四半期ごとの実績。基準時点からの累計で評価する"
            else:
                definition = "四半期ごとの実績。年度の合計で評価する"
            indicators.append(
                Indicator(
                    region_id=self.region_id,
                    goal_id=goals[t.goal].id,
                    code=f"K{k + 1:02d}",
                    name=t.name if rounds == 0 else f"{t.name}（{rounds + 1}）",
                    unit=t.unit,
                    kind=t.kind,
                    measure=t.measure,
                    direction=t.direction,
                    definition=definition,
                    data_source="拠点からの四半期報告（デモデータ）",
                    position=k + 1,
                    created_at=self.now,
                )
            )
        self.session.add_all(indicators)
        self.session.flush()
        return indicators

    def _targets(self, hubs: list[Hub], indicators: list[Indicator]) -> dict[tuple[int, int], _Series]:
        w, rng = self.w, self.rng
        scales = [rng.uniform(0.8, 1.3) for _ in hubs]
        base_q, target_q = FiscalQuarter.from_index(w.baseline), FiscalQuarter.from_index(w.target)
        series: dict[tuple[int, int], _Series] = {}
        rows = []
        for k, indicator in enumerate(indicators):
            t = _INDICATORS[k % len(_INDICATORS)]
            maker = _SeriesMaker(t, w, rng, scales)
            hub_series = [maker.series(h) for h in range(len(hubs))]
            common: dict[str, object] = {
                "region_id": self.region_id,
                "indicator_id": indicator.id,
                "baseline_fy": base_q.fiscal_year,
                "baseline_quarter": base_q.quarter,
                "target_fy": target_q.fiscal_year,
                "target_quarter": target_q.quarter,
                "accumulation": t.accumulation,
                "tolerance": t.tolerance,
                "milestones": {},
                "version": 1,
                "updated_at": self.now,
            }
            for h, (hub, one) in enumerate(zip(hubs, hub_series, strict=True)):
                series[(h, k)] = one
                rows.append(common | {"hub_id": hub.id, "baseline_value": one.baseline, "target_value": one.target})
            if indicator.kind is IndicatorKind.OUTCOME:
                # Region-wide values are the sums over the hubs, so are region-wide targets.
                rows.append(
                    common
                    | {
                        "hub_id": None,
                        "baseline_value": _round(sum(x.baseline for x in hub_series), maker.decimals),
                        "target_value": _round(sum(x.target for x in hub_series), maker.decimals),
                    }
                )
        for chunk in _chunks(rows):
            self.session.execute(insert(Target), chunk)
        return series

    def _measurements(
        self,
        hubs: list[Hub],
        indicators: list[Indicator],
        series: dict[tuple[int, int], _Series],
        managers: list[User],
    ) -> int:
        rows, submissions = [], []  # every hub has submitted every quarter of the window
        for h, hub in enumerate(hubs):
            name = managers[h].display_name
            for offset, i in enumerate(self.w.quarters):
                quarter = FiscalQuarter.from_index(i)
                entered = self._past(_at(quarter.end_date + timedelta(days=self.rng.randint(7, 35)), 2))
                submissions.append(
                    {
                        "hub_id": hub.id,
                        "fiscal_year": quarter.fiscal_year,
                        "quarter": quarter.quarter,
                        "status": "submitted",
                        "submitted_at": self._past(entered + timedelta(days=3)),
                        "submitted_by_id": managers[h].id,
                        "submitted_by_name": name,
                        "version": 1,
                    }
                )
                for k, indicator in enumerate(indicators):
                    rows.append(
                        {
                            "hub_id": hub.id,
                            "indicator_id": indicator.id,
                            "fiscal_year": quarter.fiscal_year,
                            "quarter": quarter.quarter,
                            "value": series[(h, k)].values[offset],
                            "note": "",
                            "version": 1,
                            "entered_at": entered,
                            "entered_by_name": name,
                        }
                    )
        for chunk in _chunks(rows):
            self.session.execute(insert(Measurement), chunk)
        self.session.execute(insert(QuarterSubmission), submissions)
        return len(rows)

    def _cycles(
        self,
        hubs: list[Hub],
        members: dict[int, list[int]],
        indicators: list[Indicator],
        series: dict[tuple[int, int], _Series],
        managers: list[User],
    ) -> tuple[int, int]:
        s, rng, w = self.session, self.rng, self.w
        rows, plans = [], []
        for h, hub in enumerate(hubs):
            on_track = sum(series[(h, k)].on_track for k in range(len(indicators))) / len(indicators)
            for i in w.quarters:
                quarter = FiscalQuarter.from_index(i)
                last = i == w.end
                stage = rng.choice((PdcaStage.CHECK, PdcaStage.ACT)) if last else PdcaStage.CLOSED
                rating = max(1, min(4, round(2.5 + 2 * (on_track - 0.5) + rng.gauss(0, 0.8))))
                course = (
                    rng.choice((FutureCourse.CONTINUE, FutureCourse.EXPAND))
                    if rating >= 4
                    else FutureCourse.CONTINUE
                    if rating == 3
                    else FutureCourse.STOP
                    if rating == 1 and rng.random() < 0.2
                    else FutureCourse.IMPROVE
                )
                focus = rng.sample(indicators, min(2, len(indicators)))
                decided = stage is not PdcaStage.CHECK
                rows.append(
                    {
                        "hub_id": hub.id,
                        "fiscal_year": quarter.fiscal_year,
                        "quarter": quarter.quarter,
                        "cadence": hub.pdca_cadence,
                        "stage": stage,
                        "objectives": f"{quarter.label('ja')}："
                        f"{'・'.join(ind.name for ind in focus)}の改善に重点的に取り組む。",
                        "do_summary": f"企業訪問{rng.randint(5, 40)}件、"
                        f"関係機関との打合せ{rng.randint(2, 12)}回を実施した。",
                        "check_evaluation": "計画どおり進捗している。"
                        if rating >= 3
                        else "一部の指標が計画を下回っている。",
                        "effect_rating": rating if decided else None,
                        "future_course": course if decided else None,
                        "external_opinion": rng.choice(_OPINIONS),
                        "act_summary": rng.choice(_ACT_NOTES) if decided else "",
                        "version": 1,
                        "opened_at": self._past(_at(quarter.start_date)),
                        "opened_by_name": managers[h].display_name,
                        "closed_at": None
                        if last
                        else self._past(_at(quarter.end_date + timedelta(days=rng.randint(20, 45)), 6)),
                    }
                )
                plans.append((h, i, stage, focus))
        s.execute(insert(PdcaCycle), rows)
        cycle_ids = {
            (hub_id, quarter_index(fy, q)): cycle_id
            for cycle_id, hub_id, fy, q in s.exec(
                select(PdcaCycle.id, PdcaCycle.hub_id, PdcaCycle.fiscal_year, PdcaCycle.quarter).where(
                    col(PdcaCycle.hub_id).in_([hub.id for hub in hubs])
                )
            )
        }
        actions = []
        for h, i, stage, focus in plans:
            hub = hubs[h]
            quarter = FiscalQuarter.from_index(i)
            opened = self._past(_at(quarter.start_date))
            for n in range(rng.randint(1, 3)):
                if stage is PdcaStage.CLOSED:
                    status = ActionStatus.DONE if rng.random() < 0.85 else ActionStatus.DROPPED
                else:
                    status = rng.choice(_OPEN_OR_DONE)
                origin = ActionOrigin.ACT if stage is PdcaStage.ACT and n > 0 else ActionOrigin.PLAN
                actions.append(
                    {
                        "cycle_id": cycle_ids[(id_of(hub), i)],
                        "hub_id": hub.id,
                        "title": rng.choice(_ACTIONS),
                        "owner_organisation_id": rng.choice(members[id_of(hub)]),
                        "due_date": quarter.end_date - timedelta(days=rng.randint(0, 45)),
                        "status": status,
                        "evidence": _EVIDENCE if status is ActionStatus.DONE else "",
                        "origin": origin,
                        "carried_from_id": None,
                        "indicator_ids": [ind.id for ind in focus[: rng.randint(1, len(focus))]],
                        "created_at": opened,
                        "updated_at": opened,
                    }
                )
        for chunk in _chunks(actions):
            s.execute(insert(ActionItem), chunk)
        return len(rows), len(actions)
