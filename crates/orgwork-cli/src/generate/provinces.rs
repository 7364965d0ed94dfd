//! Vietnam's 63 provinces as they stood before mid-2025: their official two-digit codes, names,
//! populations (thousands, 2023, rounded) and the province each became part of on 1 July 2025
//! (Resolution 202/2025/QH15: 52 provinces merged into 23, 11 unchanged, 34 in all). A province
//! that survives a merger maps to itself.

/// (code, Vietnamese name, English name, population in thousands, the 2025 province)
pub type Province = (&'static str, &'static str, &'static str, u32, &'static str);

pub const PROVINCES: [Province; 63] = [
    ("01", "Thành phố Hà Nội", "Ha Noi", 8587, "01"),
    ("02", "tỉnh Hà Giang", "Ha Giang", 906, "08"),
    ("04", "tỉnh Cao Bằng", "Cao Bang", 543, "04"),
    ("06", "tỉnh Bắc Kạn", "Bac Kan", 327, "19"),
    ("08", "tỉnh Tuyên Quang", "Tuyen Quang", 803, "08"),
    ("10", "tỉnh Lào Cai", "Lao Cai", 770, "10"),
    ("11", "tỉnh Điện Biên", "Dien Bien", 640, "11"),
    ("12", "tỉnh Lai Châu", "Lai Chau", 482, "12"),
    ("14", "tỉnh Sơn La", "Son La", 1300, "14"),
    ("15", "tỉnh Yên Bái", "Yen Bai", 847, "10"),
    ("17", "tỉnh Hòa Bình", "Hoa Binh", 875, "25"),
    ("19", "tỉnh Thái Nguyên", "Thai Nguyen", 1335, "19"),
    ("20", "tỉnh Lạng Sơn", "Lang Son", 802, "20"),
    ("22", "tỉnh Quảng Ninh", "Quang Ninh", 1381, "22"),
    ("24", "tỉnh Bắc Giang", "Bac Giang", 1922, "27"),
    ("25", "tỉnh Phú Thọ", "Phu Tho", 1516, "25"),
    ("26", "tỉnh Vĩnh Phúc", "Vinh Phuc", 1211, "25"),
    ("27", "tỉnh Bắc Ninh", "Bac Ninh", 1517, "27"),
    ("30", "tỉnh Hải Dương", "Hai Duong", 1956, "31"),
    ("31", "Thành phố Hải Phòng", "Hai Phong", 2106, "31"),
    ("33", "tỉnh Hưng Yên", "Hung Yen", 1290, "33"),
    ("34", "tỉnh Thái Bình", "Thai Binh", 1878, "33"),
    ("35", "tỉnh Hà Nam", "Ha Nam", 888, "37"),
    ("36", "tỉnh Nam Định", "Nam Dinh", 1887, "37"),
    ("37", "tỉnh Ninh Bình", "Ninh Binh", 1010, "37"),
    ("38", "tỉnh Thanh Hóa", "Thanh Hoa", 3760, "38"),
    ("40", "tỉnh Nghệ An", "Nghe An", 3442, "40"),
    ("42", "tỉnh Hà Tĩnh", "Ha Tinh", 1324, "42"),
    ("44", "tỉnh Quảng Bình", "Quang Binh", 917, "45"),
    ("45", "tỉnh Quảng Trị", "Quang Tri", 650, "45"),
    ("46", "Thành phố Huế", "Hue", 1167, "46"),
    ("48", "Thành phố Đà Nẵng", "Da Nang", 1245, "48"),
    ("49", "tỉnh Quảng Nam", "Quang Nam", 1526, "48"),
    ("51", "tỉnh Quảng Ngãi", "Quang Ngai", 1249, "51"),
    ("52", "tỉnh Bình Định", "Binh Dinh", 1504, "64"),
    ("54", "tỉnh Phú Yên", "Phu Yen", 877, "66"),
    ("56", "tỉnh Khánh Hòa", "Khanh Hoa", 1253, "56"),
    ("58", "tỉnh Ninh Thuận", "Ninh Thuan", 599, "56"),
    ("60", "tỉnh Bình Thuận", "Binh Thuan", 1263, "68"),
    ("62", "tỉnh Kon Tum", "Kon Tum", 580, "51"),
    ("64", "tỉnh Gia Lai", "Gia Lai", 1590, "64"),
    ("66", "tỉnh Đắk Lắk", "Dak Lak", 1919, "66"),
    ("67", "tỉnh Đắk Nông", "Dak Nong", 670, "68"),
    ("68", "tỉnh Lâm Đồng", "Lam Dong", 1333, "68"),
    ("70", "tỉnh Bình Phước", "Binh Phuoc", 1025, "75"),
    ("72", "tỉnh Tây Ninh", "Tay Ninh", 1188, "72"),
    ("74", "tỉnh Bình Dương", "Binh Duong", 2763, "79"),
    ("75", "tỉnh Đồng Nai", "Dong Nai", 3255, "75"),
    ("77", "tỉnh Bà Rịa - Vũng Tàu", "Ba Ria - Vung Tau", 1187, "79"),
    ("79", "Thành phố Hồ Chí Minh", "Ho Chi Minh City", 9456, "79"),
    ("80", "tỉnh Long An", "Long An", 1734, "72"),
    ("82", "tỉnh Tiền Giang", "Tien Giang", 1790, "87"),
    ("83", "tỉnh Bến Tre", "Ben Tre", 1300, "86"),
    ("84", "tỉnh Trà Vinh", "Tra Vinh", 1019, "86"),
    ("86", "tỉnh Vĩnh Long", "Vinh Long", 1029, "86"),
    ("87", "tỉnh Đồng Tháp", "Dong Thap", 1600, "87"),
    ("89", "tỉnh An Giang", "An Giang", 1906, "89"),
    ("91", "tỉnh Kiên Giang", "Kien Giang", 1761, "89"),
    ("92", "Thành phố Cần Thơ", "Can Tho", 1258, "92"),
    ("93", "tỉnh Hậu Giang", "Hau Giang", 730, "92"),
    ("94", "tỉnh Sóc Trăng", "Soc Trang", 1200, "92"),
    ("95", "tỉnh Bạc Liêu", "Bac Lieu", 922, "96"),
    ("96", "tỉnh Cà Mau", "Ca Mau", 1208, "96"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn sixty_three_provinces_become_thirty_four() {
        let codes: BTreeSet<&str> = PROVINCES.iter().map(|p| p.0).collect();
        assert_eq!(codes.len(), 63);
        let after: BTreeSet<&str> = PROVINCES.iter().map(|p| p.4).collect();
        assert_eq!(after.len(), 34);
        // Every 2025 province is one of the old ones that maps to itself.
        for a in &after {
            assert!(PROVINCES.iter().any(|p| p.0 == *a && p.4 == *a), "{a} survives");
        }
        let merged = PROVINCES.iter().filter(|p| PROVINCES.iter().filter(|q| q.4 == p.4).count() > 1).count();
        assert_eq!(merged, 52, "52 provinces merged into 23");
    }
}
