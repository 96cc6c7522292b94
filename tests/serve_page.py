"""Drives `chachong serve`'s page in headless Chromium through WebDriver (chromium-driver) as a person
would: choose a draft, check it, read the report; choose bad files; switch the language; add a
document to the corpus. Prints what the page showed as JSON; tests/serve.rs holds it to the CSVs
of `chachong check`.

usage: serve_page.py URL CHROMIUM CHROMEDRIVER DRAFT BAD_FILES(;-separated) CORPUS_FILE SCREENSHOT OUT.json
"""

import json
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

url, chromium, chromedriver, draft, bad_files, corpus_file, screenshot, out = sys.argv[1:9]

options = webdriver.ChromeOptions()
options.binary_location = chromium
for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1400,1000", "--lang=zh-CN", "--no-first-run", "--disable-extensions"]:
    options.add_argument(arg)
driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
wait = WebDriverWait(driver, 120, poll_frequency=0.2)
seen = {}


def text(css):
    return driver.find_element(By.CSS_SELECTOR, css).text


def rows(css):
    """(text, class) of each element matching `css`, read in one go: the page redraws its lists."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map(e => [e.innerText, e.className])", css)


def file_notes():
    return driver.execute_script("""return Array.from(document.querySelectorAll('#files li')).map(li => ({
        name: li.querySelector('.name').innerText, note: li.querySelector('.note').innerText,
        bad: li.classList.contains('bad')}))""")


def summary_rows():
    return driver.execute_script("""return Array.from(document.querySelectorAll('#summary tbody tr')).map(tr => ({
        draft: tr.getAttribute('data-draft'),
        cells: Array.from(tr.querySelectorAll('td')).map(td => td.innerText),
        stats: Object.fromEntries(Array.from(tr.querySelectorAll('td[data-stat]'))
                                  .map(td => [td.getAttribute('data-stat'), td.innerText]))}))""")


def check(files):
    """Chooses `files` on the page, starts the check and waits for its end."""
    driver.find_element(By.ID, "pick").send_keys("\n".join(files))
    notes = file_notes()
    start = driver.find_element(By.ID, "start")
    if start.is_enabled():
        start.click()
        wait.until(lambda d: d.find_element(By.ID, "progress-text").text in ("检查完成。", "Done.")
                   or "error" in d.find_element(By.ID, "progress-text").get_attribute("class"))
    return notes


try:
    driver.get(url)
    wait.until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("data-ready") == "true")
    wait.until(lambda d: "索引" in text("#index-state") and "正在" not in text("#index-state"))
    seen["title"] = text("#check h2")
    seen["index_state"] = text("#index-state")

    # 1. The sample draft, checked; the report in its frame.
    check([draft])
    seen["progress"] = text("#progress-text")
    seen["summary"] = summary_rows()
    seen["downloads"] = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#downloads a")]
    frame = driver.find_element(By.ID, "report")
    wait.until(lambda d: int(frame.get_attribute("clientHeight") or 0) > 1000)
    driver.switch_to.frame(frame)
    wait.until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("data-js") == "ready")
    seen["report_copied"] = text("[data-stat=copied_ratio]")
    seen["report_boilerplate"] = text("[data-stat=boilerplate_ratio]")
    paras = []
    for li in driver.find_elements(By.CSS_SELECTOR, "li.para"):
        side = li.find_element(By.CSS_SELECTOR, ".sside")
        copied = li.find_elements(By.CSS_SELECTOR, ".dside mark.cp")
        paras.append({
            "id": li.get_attribute("id"),
            "class": li.get_attribute("class"),
            "draft_copy_marks": len(copied),
            "draft_bp_marks": len(li.find_elements(By.CSS_SELECTOR, ".dside mark.bp")),
            "source_copy_marks": len(side.find_elements(By.CSS_SELECTOR, "mark.cp")),
            "source_shown": side.is_displayed(),
            "source_head": side.text.split("\n")[0] if side.is_displayed() else "",
            "copy_color": copied[0].value_of_css_property("color") if copied else "",
        })
    seen["paragraphs"] = paras
    driver.switch_to.default_content()

    # The page as a person sees it, for docs/.
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1400, min(max(height, 1000), 2200))
    time.sleep(0.5)
    driver.save_screenshot(screenshot)
    driver.set_window_size(1400, 1000)

    # 2. English, and back.
    driver.find_element(By.CSS_SELECTOR, "button[data-lang=en]").click()
    seen["english"] = {"title": text("#check h2"), "results": text("#results h2"),
                       "progress": text("#progress-text"), "index_state": text("#index-state")}
    driver.find_element(By.CSS_SELECTOR, "button[data-lang=zh]").click()
    seen["chinese_again"] = text("#check h2")

    # 3. Bad files beside a good one: each is said, and the good one is still checked.
    seen["bad_notes_before"] = check(bad_files.split(";") + [draft])
    seen["bad_notes_after"] = file_notes()
    seen["bad_progress"] = text("#progress-text")
    seen["bad_summary"] = summary_rows()

    # 4. A document added to the corpus: stored, and the index updated.
    driver.find_element(By.ID, "corpus-pick").send_keys(corpus_file)
    wait.until(lambda d: rows("#corpus-files li") and rows("#corpus-files li")[-1][1] in ("ok", "bad"))
    seen["corpus_upload"] = rows("#corpus-files li")
    wait.until(lambda d: "索引已更新" in text("#index-state"))
    seen["corpus_index_state"] = text("#index-state")
    driver.find_element(By.CSS_SELECTOR, "#corpus-list summary").click()
    seen["corpus_rows"] = [r[0] for r in rows("#corpus-list tbody tr")]
    # The same file again is refused: nothing in the corpus is replaced.
    driver.find_element(By.ID, "corpus-pick").send_keys(corpus_file)
    wait.until(lambda d: len(rows("#corpus-files li")) == 2 and rows("#corpus-files li")[-1][1] in ("ok", "bad"))
    seen["corpus_again"] = rows("#corpus-files li")
    seen["console"] = [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
finally:
    with open(out, "w", encoding="utf-8") as f:
        json.dump(seen, f, ensure_ascii=False, indent=1)
    driver.quit()
