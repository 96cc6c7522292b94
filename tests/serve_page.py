"""Drives `chachong serve`'s page in headless Chromium through WebDriver (chromium-driver) as a person
would: choose a draft, check it, read the report; choose bad files; switch the language; add a
document to the corpus. Prints what the page showed as JSON; tests/serve.rs holds it to the CSVs
of `chachong check`.

usage: serve_page.py URL CHROMIUM CHROMEDRIVER DRAFT BAD_FILES(;-separated) CORPUS_FILE SCREENSHOT OUT.json
                     DOWNLOADS_DIR BATCH_FILES(;-separated)

The .xlsx downloaded from the page is read back with openpyxl (Debian's python3-openpyxl).
"""

import json
import os
import sys
import time

import openpyxl

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

url, chromium, chromedriver, draft, bad_files, corpus_file, screenshot, out, downloads, batch = sys.argv[1:11]

options = webdriver.ChromeOptions()
options.binary_location = chromium
for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1400,1000", "--lang=zh-CN", "--no-first-run", "--disable-extensions"]:
    options.add_argument(arg)
options.add_experimental_option("prefs", {"download.default_directory": downloads,
                                          "download.prompt_for_download": False})
driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
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
    return driver.execute_script("""return Array.from(document.querySelectorAll('#summary tbody tr:not(.twins)')).map(tr => ({
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


def download(name):
    """Clicks the page's link to `name` and waits for the whole file in the download folder."""
    driver.find_element(By.CSS_SELECTOR, "#downloads a[download='%s']" % name).click()
    path = os.path.join(downloads, name)
    wait.until(lambda d: os.path.isfile(path) and not os.path.exists(path + ".crdownload"))
    return path


def workbook(path):
    """Sheet names, each sheet's rows (values), and the paragraph sheet's verdict cells' colours."""
    book = openpyxl.load_workbook(path)
    sheets = {}
    for ws in book.worksheets:
        sheets[ws.title] = [[c.value for c in row] for row in ws.iter_rows()]
    para = book.worksheets[1]
    header = [c.value for c in para[1]]
    col = header.index("判定") + 1
    def rgb(colour):
        # A colour set as ARGB text; a theme colour (the default font's) is no ARGB.
        return colour.rgb if colour is not None and isinstance(colour.rgb, str) else None
    colours = [{"value": para.cell(row=r, column=col).value,
                "fill": rgb(para.cell(row=r, column=col).fill.fgColor),
                "font": rgb(para.cell(row=r, column=col).font.color)}
               for r in range(2, para.max_row + 1)]
    return {"names": book.sheetnames, "sheets": sheets, "verdict_cells": colours,
            "frozen": [ws.freeze_panes for ws in book.worksheets]}


def in_report(script):
    """Runs `script` in the framed report and returns its value."""
    driver.switch_to.frame(driver.find_element(By.ID, "report"))
    try:
        return driver.execute_script(script)
    finally:
        driver.switch_to.default_content()


REPORT_LABELS = """return {
    copied_label: document.querySelector('.stat.main .label').innerText.trim(),
    verdict: document.querySelector('li.para .vd').innerText.trim(),
    filter: document.querySelector('.tools label').innerText.trim(),
    lang: document.documentElement.getAttribute('data-lang'),
    html_lang: document.documentElement.lang}"""

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
    seen["cover"] = driver.execute_script("""return Object.fromEntries(Array.from(
        document.querySelectorAll('#c1 [data-cover]')).map(e => [e.getAttribute('data-cover'), e.textContent]))""")
    seen["report_zh"] = driver.execute_script(REPORT_LABELS)
    driver.switch_to.default_content()

    # The report as .xlsx and as PDF, downloaded from the page's links.
    seen["xlsx"] = workbook(download("report.xlsx"))
    seen["pdf"] = download("report.pdf")

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
    seen["report_en"] = in_report(REPORT_LABELS)
    driver.find_element(By.CSS_SELECTOR, "button[data-lang=zh]").click()
    seen["chinese_again"] = text("#check h2")
    seen["report_zh_again"] = in_report(REPORT_LABELS)

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

    # 5. Drafts checked together are compared with each other: three records of one text.
    check(batch.split(";"))
    seen["batch_progress"] = text("#progress-text")
    seen["batch_twins"] = rows("#summary tr.twins")
    frame = driver.find_element(By.ID, "report")
    wait.until(lambda d: "jobs/3/" in (frame.get_attribute("src") or ""))
    driver.switch_to.frame(frame)
    wait.until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("data-js") == "ready")
    seen["batch_report"] = driver.execute_script("""return Array.from(document.querySelectorAll('section.draft'))
        .map(s => ({draft: s.getAttribute('data-draft'),
                    flags: Array.from(s.querySelectorAll('li.para')).map(li =>
                        Array.from(li.querySelectorAll('.pmeta .fl')).map(f => f.innerText))}))""")
    driver.switch_to.default_content()
    seen["console"] = [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
finally:
    with open(out, "w", encoding="utf-8") as f:
        json.dump(seen, f, ensure_ascii=False, indent=1)
    driver.quit()
