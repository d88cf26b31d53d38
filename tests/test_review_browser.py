"""End to end in a real headless Chromium: open a paper in the labeling app,
correct a measure's country, add a missing mention by selecting its text,
save, and see the scores move. Skipped, with the reason, where Chromium is
not installed; `make venv` installs it (and CI runs `make test`, which does)."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any, Iterator

import pytest

from browser import chrome, missing
from pipeline.review import labels as lab
from pipeline.review.server import make_server
from pipeline.validate import load_expectations

FIXTURE = Path(__file__).parent / "fixtures" / "output_small"
pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[dict[str, Any]]:
    out, exp = tmp_path / "out", tmp_path / "exp"
    shutil.copytree(FIXTURE, out)
    exp.mkdir()
    # Labels with two mistakes a reviewer fixes: the first measure's country is
    # wrong (FRA for JPN), and Germany is missing from the COUNTRY mentions.
    labels, _, _ = lab.read_labels(exp, "alpha_paper", lab.paper_rows(out, "alpha_paper"))
    labels["status"] = "final"
    labels["mentions"]["COUNTRY"] = [m for m in labels["mentions"]["COUNTRY"] if m["iso3"] != "DEU"]
    labels["measures"][0]["country"] = "FRA"
    (exp / "alpha_paper.yaml").write_text(lab.dump_labels(labels), encoding="utf-8")
    server = make_server(out, exp, tmp_path / "raw", port=0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    driver = chrome()
    try:
        yield {"url": f"http://127.0.0.1:{server.server_address[1]}", "exp": exp, "driver": driver}
    finally:
        driver.quit()
        server.shutdown()
        server.server_close()


def scores(driver: Any) -> dict[str, str]:
    return driver.execute_script(
        "return Object.fromEntries([...document.querySelectorAll('#scores tbody tr')]"
        ".map(r => [r.dataset.item, r.querySelector('td.score').textContent]))")


def test_correct_a_country_add_a_mention_save_and_see_the_scores_move(site: dict) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver = site["driver"]
    wait = WebDriverWait(driver, 15)
    driver.get(site["url"] + "/paper/alpha_paper")
    wait.until(lambda d: d.execute_script("return document.body.dataset.ready === '1'"))
    before = scores(driver)
    assert (before["COUNTRY"], before["measure.country"], before["measures.all_fields"]) == ("0.67", "0.67", "0.67")

    # Correct the first measure's country: select it, type the code, leave the field.
    driver.find_element(By.CSS_SELECTOR, '.entry[data-n="0"]').click()
    field = wait.until(ec.element_to_be_clickable((By.ID, "f-country")))
    assert field.get_attribute("value") == "FRA"
    field.clear()
    field.send_keys("jpn", Keys.TAB)

    # Add the missing mention: select the highlighted word in the text, pick its type.
    germany = driver.find_element(By.XPATH, "//div[@id='text']//mark[@data-type='COUNTRY'][text()='Germany']")
    ActionChains(driver).double_click(germany).perform()
    wait.until(ec.visibility_of_element_located((By.ID, "addbar")))
    assert driver.execute_script("return window.getSelection().toString().trim()") == "Germany"
    driver.find_element(By.CSS_SELECTOR, '#addbar button[data-kind="COUNTRY"]').click()
    wait.until(lambda d: d.find_element(By.ID, "f-iso3").get_attribute("value") == "DEU")

    driver.find_element(By.ID, "save").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "msg"), "saved alpha_paper.yaml"))
    after = scores(driver)
    assert (after["COUNTRY"], after["measure.country"], after["measures.all_fields"]) == ("1.00", "1.00", "1.00")
    country = driver.find_element(By.CSS_SELECTOR, '#scores tr[data-item="COUNTRY"]')
    assert country.find_element(By.CSS_SELECTOR, "td.was").text == "0.67"            # shown beside the new score
    assert "up" in country.find_element(By.CSS_SELECTOR, "td.score").get_attribute("class")

    saved = load_expectations(site["exp"] / "alpha_paper.yaml")
    assert saved["measures"][0]["country"] == "JPN"
    assert {m["iso3"] for m in saved["mentions"]["COUNTRY"]} == {"JPN", "DEU"}
    assert (site["exp"] / ".backup" / "alpha_paper.yaml").is_file()
