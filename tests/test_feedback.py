"""The shared feedback package: survey comments redacted and classified by partner_swot's rules."""

from __future__ import annotations

import subprocess
import sys

from alliancekit.feedback import classify_texts, redact_texts


def test_a_comment_loses_its_name_email_and_phone():
    comment = ("Great support from Priya Raman this year, reach me at priya.raman@contoso-partners.com "
               "or +44 20 7946 0958.")
    (text,), counts = redact_texts([comment])
    assert "Priya" not in text and "Raman" not in text
    assert "@" not in text and "7946" not in text
    assert "[name]" in text and "[email]" in text and "[phone]" in text
    assert counts["email"] == 1 and counts["phone"] == 1 and counts["name"] >= 1


def test_given_names_are_removed_from_every_comment():
    texts, counts = redact_texts(["Ask zoltan about the rebate.", "Kowalczyk was helpful."],
                                 names=["Zoltan Kowalczyk"])
    assert texts == ["Ask [name] about the rebate.", "[name] was helpful."]
    assert counts["name"] == 2


def test_a_clear_weakness_is_classified_weakness():
    assert classify_texts(["Their partner portal is slow and deal registrations take weeks to be approved."]) \
        == ["weakness"]
    assert classify_texts([]) == []


def test_the_package_imports_light_and_partner_swot_still_exports_the_names():
    code = ("import sys, alliancekit.feedback, alliancekit.partner_swot as p; "
            "assert 'pandas' not in sys.modules and 'sklearn' not in sys.modules, 'heavy import'; "
            "from alliancekit.feedback.classify import SwotClassifier; "
            "from alliancekit.feedback.redact import redact_interviews; "
            "assert p.SwotClassifier is SwotClassifier and p.redact_interviews is redact_interviews")
    subprocess.run([sys.executable, "-c", code], check=True)
