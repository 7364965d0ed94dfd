#!/usr/bin/env python3
"""Writes N synthetic members as CSV in the import's columns, the same for one seed.

    scripts/gen-members.py N SEED UNIT [UNIT ...] > members.csv

Names have correct Vietnamese diacritics (and a few Arabic ones, so that Arabic search is
exercised); dates make sense (admitted at 18 or later, made official a year on).
"""
import random
import sys

SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đinh Mai Trịnh".split()
MIDDLE_M = "Văn Đức Minh Quang Hữu Thanh Xuân Đình Công Tuấn".split()
MIDDLE_F = "Thị Thu Ngọc Thanh Hồng Minh Phương Thúy Kim Diệu".split()
GIVEN_M = "An Bình Cường Dũng Giang Hải Hùng Khánh Long Minh Nam Phong Quân Sơn Thắng Tuấn Việt Đạt Hiếu Thụy".split()
GIVEN_F = "Anh Chi Dung Hà Hạnh Hoa Hương Lan Linh Mai Nga Ngân Oanh Phương Tâm Thảo Thủy Trang Vân Yến".split()
ARABIC = ["أحمد علي", "فاطمة حسن", "محمد إبراهيم", "خديجة يوسف", "عمر خالد"]
ETHNIC = ["Kinh"] * 17 + ["Tày", "Dao", "Sán Dìu"]


def main():
    n, seed, units = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    rng = random.Random(seed)
    out = sys.stdout
    out.write("card_number,full_name,sex,birth_date,ethnicity,occupation,admitted_on,official_on,unit\n")
    for i in range(n):
        female = rng.random() < 0.45
        if rng.random() < 0.01:
            name = rng.choice(ARABIC)
        elif female:
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
        else:
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
        born = rng.randint(1950, 2004)
        admitted = min(born + rng.randint(19, 40), 2024)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        official = f"{admitted + 1}-{month:02d}-{day:02d}" if admitted < 2024 else ""
        occupation = "student" if born >= 2000 and rng.random() < 0.4 else "civil_servant"
        out.write(
            f"{90000000 + i},{name},{'female' if female else 'male'},{born}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d},"
            f"{rng.choice(ETHNIC)},{occupation},{admitted}-{month:02d}-{day:02d},{official},{rng.choice(units)}\n"
        )


if __name__ == "__main__":
    main()
