"""The kiosk's quick-exit page: its template (bot/channels/kiosk/away.html) filled with escaped words."""

from bot.channels import kiosk


def test_the_away_page_is_its_template_with_every_value_escaped(monkeypatch):
    words = {"away_title": "Tom & Jerry's <b>", "away_text": "Printing costs $5 a page", "away_home": "Home"}
    monkeypatch.setattr(kiosk, "kiosk_strings", lambda language: words)
    page = kiosk.away_page("en")
    assert page.startswith('<!doctype html>\n<html lang="en" dir="ltr">\n')
    assert "<title>Tom &amp; Jerry&#x27;s &lt;b&gt;</title>" in page
    assert "<h1>Tom &amp; Jerry&#x27;s &lt;b&gt;</h1>" in page
    assert "<p>Printing costs $5 a page</p>" in page
    assert '<p><a href="./">Home</a></p>' in page


def test_the_template_is_not_one_of_the_files_served():
    assert kiosk.AWAY_TEMPLATE not in kiosk.STATIC_FILES
    assert (kiosk.STATIC_DIR / kiosk.AWAY_TEMPLATE).exists()
