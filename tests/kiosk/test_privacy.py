from kiosk.privacy import mask_id, mask_name, mask_phone, sees_personal_data


def test_masks_keep_just_enough_to_tell_people_apart():
    assert mask_name("Nguyễn Văn An") == "Nguyễn V** A*"
    assert mask_id("001012345645") == "0010******45"
    assert mask_id("191234567") == "19*****67"
    assert mask_phone("0912345612") == "09******12"


def test_only_medics_and_supervisors_see_whole_personal_data():
    assert sees_personal_data("medic") and sees_personal_data("supervisor")
    for role in ("police", "market", "assistant"):
        assert not sees_personal_data(role)
