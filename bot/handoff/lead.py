"""A lead: an owner who asked for a person, agreed to pass on what they told us, and left a contact.

    lead = new_lead(data, "web-3f2a", Contact("email", "jo@bakery.co.uk"), slots, record)
    subject, body = operator_message(lead)     # what the operator is sent (bot.handoff.notify)

The lead keeps the profile and the plan as they were given, plus the words an adviser reads
(`summary`, `plan_lines`), written when the lead is made: an adviser calling back sees what the
owner saw, even after the catalogue changes. Pure: no Rasa import, no I/O.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

from bot.advice.data import AdviceData
from bot.advice.plan_record import PROFILE_SLOTS, PlanRecord, steps_of
from bot.advice.plan_text import cost_text, summary
from bot.advice.slots import head_count_from_slot
from bot.handoff.contact import Contact, shown
from bot.names import SenderPrefixes

CHANNELS = {SenderPrefixes.TELEGRAM: "Telegram", SenderPrefixes.WEBCHAT: "website widget",
            SenderPrefixes.TRAINER: "trainer's shell"}


def channel_of(sender_id: str) -> str:
    """Where the conversation is: 'Telegram', 'website widget', ... or 'REST API'."""
    return next((name for prefix, name in CHANNELS.items() if sender_id.startswith(prefix)), "REST API")


def new_lead(data: AdviceData, sender_id: str, contact: Contact, slots: Mapping[str, Any],
             record: Optional[PlanRecord]) -> dict:
    """The lead to store, as a JSON-ready dict: the store adds its id and time."""
    profile = {slot: slots[slot] for slot in PROFILE_SLOTS if slots.get(slot) is not None}
    told = bool(profile)
    return {
        "sender_id": sender_id,
        "channel": channel_of(sender_id),
        "contact_kind": contact.kind,
        "contact": contact.value,
        "profile": profile,
        "plan": record.to_dict() if record else None,
        "summary": summary(data, profile) if told else "",
        "plan_lines": _plan_lines(data, record) if record else [],
    }


def _plan_lines(data: AdviceData, record: PlanRecord) -> list[str]:
    people = head_count_from_slot(record.profile.get("head_count"))
    currency = record.currency or data.catalogue.currency
    return [f"{number}. {step.title} ({cost_text(data, step, currency, people)})"
            for number, step in enumerate(steps_of(data, record), start=1)]


def operator_message(lead: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, plain-text body) telling the operator about a stored lead."""
    contact = shown(Contact(lead["contact_kind"], lead["contact"]))
    subject = f"dx-advisor: an owner asks for an adviser ({contact})"
    lines = [
        f"Lead {lead.get('id', '?')}, {lead.get('created_at', '')}: an owner asked to talk to a person and agreed",
        "to pass on what they told the assistant.",
        "",
        f"Contact ({lead['contact_kind']}): {contact}",
        f"Conversation: {lead['sender_id']} ({lead['channel']})",
        f"Firm: {lead.get('summary') or 'nothing told yet'}",
    ]
    plan = lead.get("plan") or {}
    if lead.get("plan_lines"):
        lines += ["", f"Plan given (version {plan.get('version') or 1}):", *lead["plan_lines"]]
    else:
        lines.append("Plan: none given yet.")
    lines += ["", "All leads: python -m bot leads"]
    return subject, "\n".join(lines)


def render_leads(leads: list[Mapping[str, Any]]) -> str:
    """The operator's list (`python -m bot leads`): one block per lead, oldest first."""
    if not leads:
        return "No leads yet: nobody has asked for an adviser."
    told = {"sent": "operator told", "partial": "operator told, but one way FAILED",
            "off": "nobody told (notification is off)", "failed": "telling the operator FAILED",
            None: "operator not told yet"}
    blocks = [f"{len(leads)} lead(s), oldest first:"]
    for lead in leads:
        contact = shown(Contact(lead["contact_kind"], lead["contact"]))
        lines = [f"#{lead['id']}  {lead.get('created_at', '')}  {lead['contact_kind']} {contact}  "
                 f"via {lead.get('channel') or channel_of(lead['sender_id'])}  ({told.get(lead.get('notified'), lead.get('notified'))})",
                 f"    conversation {lead['sender_id']}",
                 f"    firm: {lead.get('summary') or 'nothing told yet'}"]
        if lead.get("plan_lines"):
            lines.append(f"    plan v{(lead.get('plan') or {}).get('version') or 1}: " + "; ".join(lead["plan_lines"]))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
