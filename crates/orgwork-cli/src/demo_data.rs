//! The demo organization: the seed's Party Committee of the Provincial Agencies Bloc of Quang
//! Ninh under the Quang Ninh Provincial Party Committee, with grassroots organizations named
//! after real provincial agencies and their cells. Every date and every person is synthetic.

/// A grassroots organization: code suffix, kind, names (vi, en, ar), and its cells when it is
/// a grassroots committee.
pub struct Grassroots {
    pub code: &'static str,
    pub committee: bool,
    pub vi: &'static str,
    pub en: &'static str,
    pub ar: &'static str,
}

pub const ROOT: (&str, &str, &str, &str) =
    ("QN", "Đảng bộ tỉnh Quảng Ninh", "Quang Ninh Provincial Party Committee", "لجنة الحزب في مقاطعة كوانغ نينه");

pub const BLOC: (&str, &str, &str, &str) = (
    "QN-KCQ",
    "Đảng bộ Khối các cơ quan tỉnh Quảng Ninh",
    "Party Committee of the Provincial Agencies Bloc of Quang Ninh",
    "لجنة الحزب لكتلة الهيئات الإقليمية في كوانغ نينه",
);

const fn g(code: &'static str, committee: bool, vi: &'static str, en: &'static str, ar: &'static str) -> Grassroots {
    Grassroots { code, committee, vi, en, ar }
}

pub const GRASSROOTS: &[Grassroots] = &[
    g(
        "VPTU",
        true,
        "Đảng bộ Văn phòng Tỉnh ủy",
        "Office of the Provincial Party Committee",
        "مكتب لجنة الحزب الإقليمية",
    ),
    g(
        "BTCTU",
        false,
        "Chi bộ Ban Tổ chức Tỉnh ủy",
        "Organization Commission of the Provincial Party Committee",
        "لجنة التنظيم التابعة للجنة الحزب الإقليمية",
    ),
    g("BTGTU", false, "Chi bộ Ban Tuyên giáo Tỉnh ủy", "Propaganda and Education Commission", "لجنة الدعاية والتثقيف"),
    g(
        "UBKTTU",
        false,
        "Chi bộ Ủy ban Kiểm tra Tỉnh ủy",
        "Inspection Commission of the Provincial Party Committee",
        "لجنة التفتيش التابعة للجنة الحزب الإقليمية",
    ),
    g("BDVTU", false, "Chi bộ Ban Dân vận Tỉnh ủy", "Mass Mobilization Commission", "لجنة التعبئة الجماهيرية"),
    g("BNCTU", false, "Chi bộ Ban Nội chính Tỉnh ủy", "Internal Affairs Commission", "لجنة الشؤون الداخلية"),
    g(
        "TCT",
        true,
        "Đảng bộ Trường Chính trị Nguyễn Văn Cừ",
        "Nguyen Van Cu Political School",
        "مدرسة نغوين فان كو السياسية",
    ),
    g("BAOQN", true, "Đảng bộ Báo Quảng Ninh", "Quang Ninh Newspaper", "صحيفة كوانغ نينه"),
    g("TTTT", true, "Đảng bộ Trung tâm Truyền thông tỉnh", "Provincial Media Centre", "مركز الإعلام الإقليمي"),
    g(
        "VPDDBQH",
        false,
        "Chi bộ Văn phòng Đoàn ĐBQH và HĐND tỉnh",
        "Office of the National Assembly Delegation and the People's Council",
        "مكتب وفد الجمعية الوطنية ومجلس الشعب",
    ),
    g(
        "VPUBND",
        true,
        "Đảng bộ Văn phòng UBND tỉnh",
        "Office of the Provincial People's Committee",
        "مكتب لجنة الشعب الإقليمية",
    ),
    g("STC", true, "Đảng bộ Sở Tài chính", "Department of Finance", "دائرة المالية"),
    g(
        "SKHDT",
        true,
        "Đảng bộ Sở Kế hoạch và Đầu tư",
        "Department of Planning and Investment",
        "دائرة التخطيط والاستثمار",
    ),
    g("STP", false, "Chi bộ Sở Tư pháp", "Department of Justice", "دائرة العدل"),
    g("SNV", true, "Đảng bộ Sở Nội vụ", "Department of Home Affairs", "دائرة الشؤون الداخلية"),
    g("SCT", true, "Đảng bộ Sở Công Thương", "Department of Industry and Trade", "دائرة الصناعة والتجارة"),
    g("SXD", true, "Đảng bộ Sở Xây dựng", "Department of Construction", "دائرة البناء"),
    g("SGTVT", true, "Đảng bộ Sở Giao thông vận tải", "Department of Transport", "دائرة النقل"),
    g(
        "SNNPTNT",
        true,
        "Đảng bộ Sở Nông nghiệp và Phát triển nông thôn",
        "Department of Agriculture and Rural Development",
        "دائرة الزراعة والتنمية الريفية",
    ),
    g(
        "STNMT",
        true,
        "Đảng bộ Sở Tài nguyên và Môi trường",
        "Department of Natural Resources and Environment",
        "دائرة الموارد الطبيعية والبيئة",
    ),
    g("SVHTT", true, "Đảng bộ Sở Văn hóa và Thể thao", "Department of Culture and Sports", "دائرة الثقافة والرياضة"),
    g("SDL", false, "Chi bộ Sở Du lịch", "Department of Tourism", "دائرة السياحة"),
    g(
        "SGDDT",
        true,
        "Đảng bộ Sở Giáo dục và Đào tạo",
        "Department of Education and Training",
        "دائرة التعليم والتدريب",
    ),
    g("SYT", true, "Đảng bộ Sở Y tế", "Department of Health", "دائرة الصحة"),
    g(
        "SLDTBXH",
        true,
        "Đảng bộ Sở Lao động - Thương binh và Xã hội",
        "Department of Labour, Invalids and Social Affairs",
        "دائرة العمل والمعاقين والشؤون الاجتماعية",
    ),
    g(
        "SKHCN",
        false,
        "Chi bộ Sở Khoa học và Công nghệ",
        "Department of Science and Technology",
        "دائرة العلوم والتكنولوجيا",
    ),
    g(
        "STTTT",
        false,
        "Chi bộ Sở Thông tin và Truyền thông",
        "Department of Information and Communications",
        "دائرة الإعلام والاتصالات",
    ),
    g("SNGV", false, "Chi bộ Sở Ngoại vụ", "Department of Foreign Affairs", "دائرة الشؤون الخارجية"),
    g("TTR", false, "Chi bộ Thanh tra tỉnh", "Provincial Inspectorate", "المفتشية الإقليمية"),
    g(
        "BDT",
        false,
        "Chi bộ Ban Dân tộc tỉnh",
        "Provincial Ethnic Minorities Committee",
        "لجنة الأقليات العرقية الإقليمية",
    ),
    g("BQLKKT", true, "Đảng bộ Ban Quản lý Khu kinh tế", "Economic Zone Authority", "هيئة إدارة المنطقة الاقتصادية"),
    g("KBNN", true, "Đảng bộ Kho bạc Nhà nước tỉnh", "Provincial State Treasury", "الخزانة الحكومية الإقليمية"),
    g("BHXH", true, "Đảng bộ Bảo hiểm xã hội tỉnh", "Provincial Social Insurance", "الضمان الاجتماعي الإقليمي"),
    g(
        "MTTQ",
        false,
        "Chi bộ Cơ quan Ủy ban MTTQ tỉnh",
        "Provincial Fatherland Front Committee",
        "لجنة جبهة الوطن الإقليمية",
    ),
    g("HLHPN", false, "Chi bộ Hội Liên hiệp Phụ nữ tỉnh", "Provincial Women's Union", "اتحاد النساء الإقليمي"),
    g("TDTN", false, "Chi bộ Tỉnh đoàn", "Provincial Youth Union", "اتحاد الشباب الإقليمي"),
    g("HND", false, "Chi bộ Hội Nông dân tỉnh", "Provincial Farmers' Union", "اتحاد المزارعين الإقليمي"),
    g(
        "HCCB",
        false,
        "Chi bộ Hội Cựu chiến binh tỉnh",
        "Provincial Veterans' Association",
        "جمعية المحاربين القدامى الإقليمية",
    ),
    g("LDLD", true, "Đảng bộ Liên đoàn Lao động tỉnh", "Provincial Labour Federation", "اتحاد العمال الإقليمي"),
    g("HCTD", false, "Chi bộ Hội Chữ thập đỏ tỉnh", "Provincial Red Cross Society", "جمعية الصليب الأحمر الإقليمية"),
    g(
        "LMHTX",
        false,
        "Chi bộ Liên minh Hợp tác xã tỉnh",
        "Provincial Cooperative Alliance",
        "تحالف التعاونيات الإقليمي",
    ),
];

/// The subordinate cells of a grassroots committee: code suffix and names (vi, en, ar).
pub const CELLS: &[(&str, &str, &str, &str)] = &[
    ("C1", "Chi bộ Văn phòng", "Office cell", "خلية المكتب"),
    ("C2", "Chi bộ Phòng Nghiệp vụ", "Professional division cell", "خلية القسم المهني"),
    ("C3", "Chi bộ Phòng Kế hoạch - Tài chính", "Planning and finance division cell", "خلية قسم التخطيط والمالية"),
];

/// Synthetic people: names with correct Vietnamese diacritics, plausible dates, drawn from a
/// fixed seed so that every demo database holds the same members.
pub mod people {
    const SURNAMES: &[&str] = &[
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
        "Dương", "Lý", "Đào", "Đinh",
    ];
    const MIDDLE_M: &[&str] = &["Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Xuân", "Đình", "Công", "Tuấn"];
    const MIDDLE_F: &[&str] = &["Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Minh", "Phương", "Thúy", "Kim", "Diệu"];
    const GIVEN_M: &[&str] = &[
        "An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Hùng", "Khánh", "Long", "Minh", "Nam", "Phong", "Quân", "Sơn",
        "Thắng", "Tuấn", "Việt", "Đạt", "Hiếu", "Thụy",
    ];
    const GIVEN_F: &[&str] = &[
        "Anh", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Ngân", "Oanh", "Phương",
        "Tâm", "Thảo", "Thủy", "Trang", "Vân", "Yến",
    ];
    const ETHNICITIES: &[&str] = &["Tày", "Dao", "Sán Dìu", "Sán Chay", "Hoa"];

    /// A small deterministic generator (xorshift64*).
    pub struct Rng(u64);

    impl Rng {
        pub fn new(seed: u64) -> Rng {
            Rng(seed.max(1))
        }
        pub fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        pub fn below(&mut self, n: u64) -> u64 {
            self.next() % n.max(1)
        }
        pub fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[self.below(from.len() as u64) as usize]
        }
    }

    pub struct Person {
        pub full_name: String,
        pub sex: &'static str,
        pub birth_date: String,
        pub admitted_on: String,
        pub official_on: Option<String>,
        pub ethnicity: String,
        pub occupation: &'static str,
        pub education: &'static str,
        pub card_number: String,
    }

    /// A person of a unit; `student_share` in percent.
    pub fn person(rng: &mut Rng, serial: u64, student_share: u64) -> Person {
        let female = rng.below(100) < 45;
        let name = if female {
            format!("{} {} {}", rng.pick(SURNAMES), rng.pick(MIDDLE_F), rng.pick(GIVEN_F))
        } else {
            format!("{} {} {}", rng.pick(SURNAMES), rng.pick(MIDDLE_M), rng.pick(GIVEN_M))
        };
        let student = rng.below(100) < student_share;
        let born_year = if student { 2000 + rng.below(5) as i32 } else { 1962 + rng.below(40) as i32 };
        let (month, day) = (1 + rng.below(12) as u32, 1 + rng.below(28) as u32);
        // Admitted between 21 and 38 (students at 19 to 21), and by 2024 at the latest.
        let latest = 2024 - born_year;
        let admit_age = if student {
            (19 + rng.below(3) as i32).min(latest)
        } else if latest <= 21 {
            latest
        } else {
            21 + rng.below(((latest - 21).min(17) + 1) as u64) as i32
        };
        let admit_year = born_year + admit_age;
        let (am, ad) = (1 + rng.below(12) as u32, 1 + rng.below(28) as u32);
        let admitted_on = format!("{admit_year}-{am:02}-{ad:02}");
        // Made official a year on, unless admitted within the last year of the demo.
        let official_on = (admit_year < 2024).then(|| format!("{}-{am:02}-{ad:02}", admit_year + 1));
        let ethnicity = if rng.below(100) < 88 { "Kinh".to_string() } else { rng.pick(ETHNICITIES).to_string() };
        let education = if student {
            "college"
        } else {
            ["university", "university", "university", "master", "college", "doctorate"][rng.below(6) as usize]
        };
        Person {
            full_name: name,
            sex: if female { "female" } else { "male" },
            birth_date: format!("{born_year}-{month:02}-{day:02}"),
            admitted_on,
            official_on,
            ethnicity,
            occupation: if student { "student" } else { "civil_servant" },
            education,
            card_number: format!("{:08}", 22_000_000 + serial),
        }
    }
}
