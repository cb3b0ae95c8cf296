"""`bench/printing.py`: printing a 200-line contract to PDF with the shipped Chinese template, in-process.

A fresh SQLite database in a temporary TANDEM_DATA_DIR (the render reads a few rows; the time is the template and
WeasyPrint's layout), one tenant with print settings, a signed contract of --lines deal lines (200) and a
two-period payment plan. Each run is `record_print` as the API and the print button call it: the sandboxed
template rendered to HTML, laid out and written as a PDF with the CJK font subset embedded, the history and audit
rows written. --runs timed runs after --warmup untimed ones. Reports p50/p95/max in ms, the PDF's size and pages,
and the HTML size. Asserts only that the PDF holds the last line's text.

    .venv/bin/python bench/printing.py [--lines 200] [--runs 20] [--warmup 2]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from children import cpu_model, pct  # noqa: E402


def setup_django(data_dir: Path) -> None:
    for key in ("DATABASE_URL", "REDIS_URL", "DEBUG", "TANDEM_ENV"):
        os.environ.pop(key, None)
    os.environ.update(DJANGO_SETTINGS_MODULE="tandem.settings", TANDEM_DATA_DIR=str(data_dir), LOG_LEVEL="ERROR")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def make_contract(lines: int):
    from decimal import Decimal

    from django.utils import timezone

    from tandem.crm.models import DealLine
    from tandem.crm.tests.factories import make_account, make_contract, make_deal, make_milestone
    from tandem.printing.services.settings import print_settings_update
    from tandem.testing.kit import access_for, make_member, make_tenant

    tenant = make_tenant(name="杭州同舟智能科技有限公司")
    admin = make_member(tenant, "admin", display_name="李敏")
    print_settings_update(
        access=access_for(admin),
        company_name="杭州同舟智能科技有限公司",
        address="杭州市西湖区文三路 90 号",
        bank_name="招商银行杭州分行",
        bank_account="5719 0000 0000 0001",
    )
    account = make_account(tenant, admin.user, name="杭州滨江园区管理有限公司")
    deal = make_deal(tenant, admin.user, account, name="滨江园区智能化改造")
    DealLine.objects.bulk_create(
        DealLine(
            tenant=tenant,
            deal=deal,
            product=f"室外网络摄像机（400 万像素，含立杆安装）第{n}项",
            quantity=Decimal("2"),
            unit="台",
            unit_price=Decimal("1580.00"),
            sort_order=n,
        )
        for n in range(1, lines + 1)
    )
    amount = Decimal("3160.00") * lines
    contract = make_contract(
        tenant, admin.user, account, deal=deal, name="滨江园区智能化改造", amount=amount, signed_on=timezone.localdate()
    )
    make_milestone(contract, amount * Decimal("0.3"), name="预付款", sequence=1)
    make_milestone(contract, amount * Decimal("0.7"), name="竣工验收款", sequence=2)
    return access_for(admin), contract


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="tandem-bench-print-"))
    try:
        setup_django(data_dir)
        from pypdf import PdfReader

        from tandem.printing import registry
        from tandem.printing.services import prints

        access, contract = make_contract(args.lines)
        timings = []
        printed = None
        for run in range(args.warmup + args.runs):
            started = time.perf_counter()
            printed = prints.record_print(access=access, object_type="crm.contract", pk=contract.pk)
            if run >= args.warmup:
                timings.append(time.perf_counter() - started)
        pages = PdfReader(io.BytesIO(printed.pdf)).pages
        assert f"第{args.lines}项" in pages[-1].extract_text() + pages[-2].extract_text()
        printable = registry.get("crm.contract")
        html_chars = len(
            prints.render_html(
                prints.template_for(access=access, object_type="crm.contract").body,
                prints.print_data(access=access, printable=printable, obj=contract),
                language="zh-hans",
            )
        )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print(f"printing: {args.lines}-line contract to PDF (shipped zh template, WeasyPrint), CPU {cpu_model()}")
    header = ("runs", "p50 ms", "p95 ms", "max ms", "PDF KB", "pages", "HTML KB")
    widths = (5, 9, 9, 9, 8, 6, 8)
    print(f"{'operation':36} " + " ".join(f"{name:>{width}}" for name, width in zip(header, widths, strict=True)))
    print("-" * 96)
    print(
        f"{'record_print crm.contract':36} {len(timings):>5} {pct(timings, 50) * 1000:>9.0f} "
        f"{pct(timings, 95) * 1000:>9.0f} {max(timings) * 1000:>9.0f} {len(printed.pdf) / 1024:>8.1f} "
        f"{len(pages):>6} {html_chars / 1024:>8.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
