"""Screenshots of the labeling app at 1366x768 -> docs/screenshots/*.png.

    .venv/bin/python scripts/review_screenshots.py OUTPUT_DIR [DOC_ID]

Serves OUTPUT_DIR with the repository's labels (read only: nothing is saved)
on a free local port, opens the corpus page and one paper's page in headless
Chromium and saves what it shows.
"""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser import chrome  # noqa: E402
from pipeline.review.server import make_server  # noqa: E402

DEFAULT_DOC = "02_icdar2013-eu-014_cedefop-finland-vet-financing"


def main(argv: list[str]) -> int:
    output_dir = argv[0] if argv else "output"
    doc_id = argv[1] if len(argv) > 1 else DEFAULT_DOC
    shots = ROOT / "docs" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    server = make_server(output_dir, ROOT / "tests" / "expectations", ROOT / "raw", port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    driver = chrome()
    try:
        for url, name in ((f"{base}/", "corpus.png"), (f"{base}/paper/{doc_id}", "paper.png")):
            driver.get(url)
            time.sleep(2.5)                         # the page image and the scores arrive after the page
            driver.save_screenshot(str(shots / name))
            width = driver.execute_script("return document.documentElement.scrollWidth")
            print(f"{shots / name}: page width {width} px in a 1366 px window")
    finally:
        driver.quit()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
