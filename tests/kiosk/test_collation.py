from kiosk.collation import vi_sort_key


def test_vietnamese_letters_follow_their_base_and_tones_only_break_ties():
    words = ["Yên Bái", "Đà Nẵng", "Bắc Giang", "Bạc Liêu", "Bà Rịa", "Dương", "Cà Mau", "Cao"]
    assert sorted(words, key=vi_sort_key) == [
        "Bà Rịa",
        "Bạc Liêu",
        "Bắc Giang",
        "Cà Mau",
        "Cao",
        "Dương",
        "Đà Nẵng",
        "Yên Bái",
    ]
    assert sorted(["ma", "mà", "má", "mạ", "mả", "mã"], key=vi_sort_key) == [
        "ma",
        "mà",
        "mả",
        "mã",
        "má",
        "mạ",
    ]
