"""Every catalogue step, in both languages, as the owner gets it in the PDF: pdftotext reads back each
title and first action, so no character is missing from the fonts and no line is cut off."""
from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from bot.advice.data import advice_data
from bot.advice.plan_record import Constraints, PlanRecord
from bot.report.build import render

PROFILE = {"industry": "retail", "head_count": {"low": 4, "high": 4}, "tools": ["paper"], "goal": "more_customers",
           "budget": {"kind": "amount", "amount": 20000, "currency": "CNY", "period": "year", "upper_bound": False}}


def text_of(pdf: bytes) -> str:
    if not shutil.which("pdftotext"):
        if os.environ.get("CI"):
            pytest.fail("pdftotext is missing: .ci/run installs poppler-utils")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return out.decode("utf-8")


def squashed(text: str) -> str:
    """Without white space or hyphens: a title wrapped over two lines still reads as one."""
    return re.sub(r"[\s\u00ad-]+", "", text)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_step_title_and_first_action_reads_back_from_the_pdf(language):
    data = advice_data(language)
    steps = [step.id for step in data.catalogue.steps]
    for start in range(0, len(steps), 3):
        record = PlanRecord(tuple(steps[start:start + 3]), PROFILE, Constraints(), 1, "CNY", version=1,
                            created_at="2026-12-06T10:00:00+00:00", language=language)
        pdf = render("plan.pdf", data, record)
        text = text_of(pdf)
        assert "\ufffd" not in text and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page\r") <= 1
        for step_id in record.step_ids:
            step = data.catalogue.get(step_id)
            assert squashed(step.title) in squashed(text), (language, step_id)
            assert squashed(step.first_action)[:30] in squashed(text), (language, step_id)
