"""What the demo's SYNTHETIC households look like: the communes seeded, their ethnic composition,
income and deprivation levels, and the names people and villages are given.

Every number here is an illustrative assumption chosen to look plausible, not a statistic. The ethnic
shares roughly follow the 2019 Population and Housing Census (Quảng Ninh: about 88% Kinh, then Dao,
Tày, Sán Dìu, Sán Chay, Hoa, Nùng; Điện Biên: about 35% Hmông, 34% Thái, 18% Kinh, then Khơ-mú, Dao,
Hà Nhì, Lào, Cống, Si La) and the known make-up of the communes' former districts; they are not
census figures for these communes. The units are real; the villages and people are invented.
"""

from dataclasses import dataclass, replace

# Ethnic group codes of the General Statistics Office (registry/data/ethnic-groups.csv).
KINH, TAY, THAI, HOA, NUNG, HMONG, DAO = "01", "02", "03", "04", "07", "08", "09"
SAN_CHAY, SAN_DIU, KHO_MU, HA_NHI, LAO, CONG, SI_LA = "15", "18", "29", "35", "37", "48", "50"


@dataclass(frozen=True)
class CommuneProfile:
    code: str
    # Share of households whose head belongs to each group (illustrative).
    composition: dict[str, float]
    # 0 (town centre) … 1 (remote, high mountains): lowers incomes, raises deprivations.
    remoteness: float
    # Relative number of households.
    weight: float = 1.0


@dataclass(frozen=True)
class ProvinceProfile:
    code: str
    # Median income per person per month (VND, 2023) of a rural Kinh household in a town-centre commune.
    median_income: float
    # Shift of every deprivation's latent (higher: more deprived).
    deprivation_shift: float
    communes: tuple[CommuneProfile, ...]


PROVINCES = (
    ProvinceProfile(
        code="22",  # Quảng Ninh: the mountainous east (Ba Chẽ, Bình Liêu, Tiên Yên, Đầm Hà, Hải Hà) and a ward.
        median_income=7_200_000,
        deprivation_shift=-0.55,
        communes=(
            CommuneProfile("06970", {DAO: 0.40, KINH: 0.27, SAN_CHAY: 0.15, TAY: 0.15, SAN_DIU: 0.03}, 0.8),
            CommuneProfile("06838", {TAY: 0.52, DAO: 0.24, SAN_CHAY: 0.14, KINH: 0.09, NUNG: 0.01}, 0.9, 0.8),
            CommuneProfile("06841", {TAY: 0.45, DAO: 0.35, SAN_CHAY: 0.10, KINH: 0.08, NUNG: 0.02}, 1.0, 0.6),
            CommuneProfile(
                "06862", {KINH: 0.55, TAY: 0.16, DAO: 0.15, SAN_CHAY: 0.08, SAN_DIU: 0.04, HOA: 0.02}, 0.5
            ),
            CommuneProfile(
                "06895", {KINH: 0.74, DAO: 0.11, TAY: 0.06, SAN_CHAY: 0.05, HOA: 0.02, SAN_DIU: 0.02}, 0.4
            ),
            CommuneProfile(
                "06922",
                {KINH: 0.72, DAO: 0.12, TAY: 0.05, SAN_CHAY: 0.05, HOA: 0.04, SAN_DIU: 0.02},
                0.4,
                1.1,
            ),
            CommuneProfile("06994", {KINH: 0.89, DAO: 0.05, SAN_DIU: 0.03, TAY: 0.02, HOA: 0.01}, 0.3, 1.2),
            CommuneProfile("06712", {KINH: 0.93, HOA: 0.04, TAY: 0.02, DAO: 0.01}, 0.0, 1.6),
        ),
    ),
    ProvinceProfile(
        code="11",  # Điện Biên: the Điện Biên valley, Tuần Giáo, Mường Ảng, Tủa Chùa, Mường Nhé.
        median_income=4_000_000,
        deprivation_shift=0.5,
        communes=(
            CommuneProfile("03325", {THAI: 0.78, HMONG: 0.14, KINH: 0.06, KHO_MU: 0.02}, 0.7),
            CommuneProfile("03368", {THAI: 0.55, HMONG: 0.22, LAO: 0.10, KHO_MU: 0.08, KINH: 0.05}, 0.9),
            CommuneProfile("03253", {THAI: 0.50, HMONG: 0.25, KINH: 0.18, KHO_MU: 0.07}, 0.6, 1.1),
            CommuneProfile("03256", {THAI: 0.50, KINH: 0.25, HMONG: 0.15, KHO_MU: 0.10}, 0.5),
            CommuneProfile("03217", {HMONG: 0.78, THAI: 0.08, KINH: 0.08, DAO: 0.05, HOA: 0.01}, 0.9),
            CommuneProfile(
                "03160",
                {HMONG: 0.55, HA_NHI: 0.12, THAI: 0.12, KINH: 0.08, DAO: 0.06, CONG: 0.04, SI_LA: 0.03},
                1.0,
                0.9,
            ),
            CommuneProfile("03127", {KINH: 0.72, THAI: 0.21, HMONG: 0.03, HOA: 0.02, TAY: 0.02}, 0.0, 1.5),
        ),
    ),
)

# Income of a group's households relative to Kinh households of the same commune (illustrative).
GROUP_INCOME = {
    KINH: 1.0,
    HOA: 1.05,
    TAY: 0.72,
    NUNG: 0.70,
    SAN_DIU: 0.78,
    SAN_CHAY: 0.68,
    THAI: 0.62,
    LAO: 0.58,
    DAO: 0.60,
    KHO_MU: 0.48,
    HMONG: 0.45,
    HA_NHI: 0.45,
    CONG: 0.42,
    SI_LA: 0.42,
}
# Extra deprivation of a group's households (added to the minority shift of engine.synthetic).
GROUP_DEPRIVATION = {KINH: -0.6, HOA: -0.6, TAY: -0.3, NUNG: -0.3, SAN_DIU: -0.3, SAN_CHAY: -0.2}
GROUP_DEPRIVATION_DEFAULT = 0.0
# Mean number of members beyond the head.
GROUP_SIZE = {KINH: 2.4, HOA: 2.4, TAY: 2.8, SAN_DIU: 2.8, HMONG: 4.2, HA_NHI: 3.8, CONG: 3.6, SI_LA: 3.6}
GROUP_SIZE_DEFAULT = 3.2
# Share of adults holding a (12-digit) identity number already recorded in the registry.
IDENTITY_SHARE = {KINH: 0.8, HOA: 0.8}
IDENTITY_SHARE_DEFAULT = 0.55
# Province part of a citizen identity number: the birth province's code on three digits.
IDENTITY_PROVINCE = {"22": "022", "11": "011"}


@dataclass(frozen=True)
class Names:
    surnames: tuple[str, ...]
    male_middle: tuple[str, ...]
    female_middle: tuple[str, ...]
    male: tuple[str, ...]
    female: tuple[str, ...]


_KINH_NAMES = Names(
    ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Phan", "Đinh"),
    ("Văn", "Đức", "Minh", "Hữu", "Quang", "Văn"),
    ("Thị", "Thị", "Thu", "Ngọc", "Thanh"),
    ("Hùng", "Dũng", "Nam", "Tuấn", "Thắng", "Hải", "Long", "Sơn", "Cường", "Phong", "Bình", "Trung"),
    ("Lan", "Hương", "Mai", "Hoa", "Thảo", "Hằng", "Nga", "Yến", "Hạnh", "Linh", "Trang", "Dung"),
)
_THAI_NAMES = Names(
    ("Lò", "Lường", "Quàng", "Cà", "Tòng", "Lừ", "Vì", "Điêu", "Lù", "Hoàng"),
    ("Văn",),
    ("Thị",),
    ("Xiển", "Pánh", "Chum", "Ún", "Khăm", "Thanh", "Hom", "Pấng", "Sương", "Hặc", "Inh", "Tiến"),
    ("Ơn", "Phương", "Xuân", "Bun", "Ín", "Khiêm", "Ngọc", "Pọm", "Lả", "Hương", "Thoa", "Ánh"),
)
_HMONG_NAMES = Names(
    ("Giàng", "Sùng", "Vàng", "Thào", "Lầu", "Mùa", "Hờ", "Lý", "Cứ", "Tráng", "Hạng", "Chang"),
    ("A", "A", "Seo", "Chứ"),
    ("Thị", "Thị"),
    ("Páo", "Chứ", "Dế", "Sính", "Lử", "Sử", "Tủa", "Chồng", "Dình", "Pó", "Di", "Vừ"),
    ("Mỷ", "Dua", "Xúa", "Sua", "Dợ", "Ly", "Pà", "Say", "Máy", "Chá", "Mai", "Dung"),
)
_DAO_NAMES = Names(
    ("Triệu", "Bàn", "Đặng", "Lý", "Chíu", "Phùn", "Tằng", "Chìu", "Làu"),
    ("Văn", "Tài", "Phúc", "Quầy"),
    ("Thị",),
    ("Phin", "Sơn", "Quẩy", "Sinh", "Vần", "Kiềm", "Dùng", "Tiến", "Nhất", "Thắng"),
    ("Mùi", "Nhất", "Lai", "Mẩy", "Phấy", "Chòi", "Nhì", "Xuân", "Hoa", "Lan"),
)
_TAY_NAMES = Names(
    ("Hoàng", "Nông", "Lục", "Hà", "Vi", "Ma", "Lương", "Chu", "Bế", "Lâm"),
    ("Văn", "Văn", "Đức"),
    ("Thị",),
    ("Ngân", "Sằn", "Quý", "Thành", "Hưng", "Toàn", "Kiên", "Cường", "Dũng", "Lực"),
    ("Nhung", "Hoa", "Lan", "Nga", "Tươi", "Thuận", "Hiền", "Dịu", "Mến", "Thơm"),
)
_SAN_DIU_NAMES = Names(
    ("Lý", "Trương", "Lục", "Diệp", "Tạ", "Dương", "La", "Lưu"),
    ("Văn",),
    ("Thị",),
    ("Hòa", "Sáng", "Cầu", "Tài", "Vinh", "Thịnh", "Lộc", "Hưng"),
    ("Liên", "Sinh", "Phượng", "Thu", "Duyên", "Xuân", "Lụa", "Hồng"),
)
_SAN_CHAY_NAMES = Names(
    ("Hoàng", "Lâm", "La", "Sằm", "Nình", "Chu", "Đàm", "Ninh"),
    ("Văn", "Thành"),
    ("Thị",),
    ("Lành", "Sình", "Phấy", "Lợi", "Hậu", "Thanh", "Quân", "Vỹ"),
    ("Dung", "Nhàn", "Lý", "Sáu", "Hoài", "Thắm", "Lụa", "Hà"),
)
_HOA_NAMES = Names(
    ("Lưu", "Trương", "Lâm", "Tăng", "Phùng", "Châu", "Diệp", "Quách"),
    ("Văn", "Chí", "Gia"),
    ("Thị", "Mỹ", "Lệ"),
    ("Cẩm", "Khánh", "Hỷ", "Quang", "Phát", "Cường", "Vĩnh", "Tường"),
    ("Phấn", "Mai", "Lệ", "Hoa", "Cúc", "Anh", "Nguyệt", "Kiều"),
)
_HA_NHI_NAMES = Names(
    ("Chu", "Lỳ", "Pờ", "Sừng", "Ly", "Hầu", "Lò", "Phìn"),
    ("Xé", "Giờ", "A", "Văn"),
    ("Mì", "Thị"),
    ("Chừ", "Xá", "Phạ", "Chơ", "Gia", "Hừ", "Sò", "Cà"),
    ("Xa", "Pà", "Mé", "Dế", "Chừ", "Gơ", "Sỏ", "Lù"),
)
NAMES = {
    KINH: _KINH_NAMES,
    THAI: _THAI_NAMES,
    LAO: _THAI_NAMES,
    KHO_MU: replace(_THAI_NAMES, surnames=("Lò", "Vì", "Quàng", "Cà", "Lường", "Tòng")),
    HMONG: _HMONG_NAMES,
    DAO: _DAO_NAMES,
    TAY: _TAY_NAMES,
    NUNG: _TAY_NAMES,
    SAN_DIU: _SAN_DIU_NAMES,
    SAN_CHAY: _SAN_CHAY_NAMES,
    HOA: _HOA_NAMES,
    HA_NHI: _HA_NHI_NAMES,
    CONG: replace(_HA_NHI_NAMES, surnames=("Chu", "Lò", "Pạc", "Ly", "Hờ")),
    SI_LA: replace(_HA_NHI_NAMES, surnames=("Hù", "Pờ", "Lý", "Vàng")),
}

# Village names: a prefix by the village's main group, two syllables (invented, of the local style).
VILLAGE_SYLLABLES = {
    THAI: (
        ("Na", "Huổi", "Nậm", "Co", "Hua", "Phiêng", "Púng", "Tà", "Khá", "Pá"),
        ("Luông", "Lếch", "Khoang", "Bon", "Pe", "Cọ", "Sản", "Hịa", "Xen", "Lạn", "Ngựu", "Căm"),
    ),
    HMONG: (
        ("Háng", "Sín", "Pa", "Chua", "Lồng", "Phì", "Tìa", "Xá", "Hồ", "Mí"),
        ("Lìa", "Chải", "Sủ", "Vang", "Dề", "Tổng", "Lử", "Phìn", "Sua", "Chua", "Cáy", "Pủ"),
    ),
    TAY: (
        ("Khe", "Nà", "Pắc", "Bản", "Khau", "Lục", "Cốc", "Đồng", "Nà", "Khe"),
        ("Lánh", "Ếch", "Pò", "Mìu", "Phe", "Hồng", "Cáy", "Sặt", "Mằn", "Tấu", "Vằn", "Dọc"),
    ),
    KINH: (
        ("Đồng", "Tân", "Bình", "Hải", "Thống", "Quyết", "Tiến", "Trung", "Hòa", "Phúc"),
        ("Tâm", "Lập", "Minh", "Yến", "Nhất", "Thắng", "Bộ", "Tiến", "Bình", "Thịnh", "Hưng", "Lợi"),
    ),
}
VILLAGE_STYLE = {
    THAI: THAI,
    LAO: THAI,
    KHO_MU: THAI,
    HMONG: HMONG,
    HA_NHI: HMONG,
    CONG: HMONG,
    SI_LA: HMONG,
    TAY: TAY,
    DAO: TAY,
    NUNG: TAY,
    SAN_CHAY: TAY,
    SAN_DIU: TAY,
}
