"""Reading an email address or a phone number out of what the owner typed, and checking it.

    read_contact("sure, jo@bakery.co.uk")          # Reading(Contact("email", "jo@bakery.co.uk"))
    read_contact("call me on +44 20 7946 0958")    # Reading(Contact("phone", "+442079460958"))
    read_contact("020 7946 0958")                  # Reading(None, "needs_country_code") without a region
    read_contact("020 7946 0958", region="GB")     # the same number, read as a UK one

Email addresses are checked by `email-validator` (syntax only: nothing is looked up), phone numbers
by `phonenumbers` (Google's libphonenumber rules for every country), so neither check is home-made.
A national number ("020 ...") is read only when the operator names the country it is in
(`DX_PHONE_REGION`, see bot.handoff.settings); otherwise the owner is asked for the country code.
Pure: no Rasa import, no network.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

import phonenumbers
from email_validator import EmailNotValidError, validate_email

MAX_TEXT = 500  # longer messages are not a contact answer; nothing past this is read
_EMAIL_LIKE = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+")
_DIGIT_RUN = re.compile(r"\+?\d[\d\s().\-]{4,}\d")
# "0044 ..." is "+44 ..." dialled from most countries; only at the start of a number, not "138 0013".
_INTERNATIONAL_00 = re.compile(r"(?<![\d+])(?<![\d+][\s().\-])00\s?(?=[1-9])")
KINDS = ("email", "phone")


@dataclass(frozen=True)
class Contact:
    kind: str  # "email" or "phone"
    value: str  # normalised: the address with its domain in lower case; the number in E.164 (+4420...)


@dataclass(frozen=True)
class Reading:
    contact: Optional[Contact]
    # Why nothing usable was found: "none" (no address or number in it), "bad_email",
    # "needs_country_code" (a national number and no region to read it in), "bad_phone".
    problem: Optional[str] = None


def read_contact(text: str, region: Optional[str] = None) -> Reading:
    """The first email address or phone number in `text`, checked and normalised."""
    text = (text or "")[:MAX_TEXT]
    candidate = _EMAIL_LIKE.search(text)
    if candidate:
        address = candidate.group(0).rstrip(".!?")
        try:
            return Reading(Contact("email", validate_email(address, check_deliverability=False).normalized))
        except EmailNotValidError:
            phone = read_contact(text[:candidate.start()] + text[candidate.end():], region)
            return phone if phone.contact else Reading(None, "bad_email")  # "jo@bakery or +44 20 ..."
    text = _INTERNATIONAL_00.sub("+", text)
    digits = _DIGIT_RUN.search(text)
    if not digits:  # most messages: no number long enough to be a phone, and no matcher run
        return Reading(None, "none")
    for match in phonenumbers.PhoneNumberMatcher(text, region):
        return Reading(Contact("phone", phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)))
    if region is None and not digits.group(0).startswith("+"):
        return Reading(None, "needs_country_code")
    return Reading(None, "bad_phone")


def may_hold_contact(text: str) -> bool:
    """A cheap first look: False means read_contact would find nothing."""
    text = (text or "")[:MAX_TEXT]
    return "@" in text or bool(_DIGIT_RUN.search(text))


def shown(contact: Contact) -> str:
    """The contact as the owner reads it back: an international number with its usual spacing."""
    if contact.kind != "phone":
        return contact.value
    try:
        number = phonenumbers.parse(contact.value, None)
    except phonenumbers.NumberParseException:
        return contact.value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
