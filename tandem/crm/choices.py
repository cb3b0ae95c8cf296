"""Choices of the crm app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AccountTier(models.TextChoices):
    VIP = "vip", _("VIP")
    A = "a", _("Tier A")
    B = "b", _("Tier B")
    C = "c", _("Tier C")


class Industry(models.TextChoices):
    REAL_ESTATE = "real_estate", _("Real estate")
    CONSTRUCTION = "construction", _("Construction")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    ENERGY = "energy", _("Energy and utilities")
    TRANSPORT = "transport", _("Transport and logistics")
    HEALTHCARE = "healthcare", _("Healthcare")
    EDUCATION = "education", _("Education")
    GOVERNMENT = "government", _("Government and public sector")
    DATA_CENTER = "data_center", _("Data centres and IT")
    COMMERCIAL = "commercial", _("Commercial and retail")
    HOSPITALITY = "hospitality", _("Hotels and hospitality")
    OTHER = "other", _("Other")


class Region(models.TextChoices):
    EAST = "east", _("East China")
    SOUTH = "south", _("South China")
    NORTH = "north", _("North China")
    CENTRAL = "central", _("Central China")
    SOUTHWEST = "southwest", _("Southwest China")
    NORTHWEST = "northwest", _("Northwest China")
    NORTHEAST = "northeast", _("Northeast China")
    OVERSEAS = "overseas", _("Overseas")


class LeadSource(models.TextChoices):
    WEBSITE = "website", _("Website")
    REFERRAL = "referral", _("Referral")
    EXHIBITION = "exhibition", _("Exhibition")
    TENDER = "tender", _("Tender notice")
    COLD_CALL = "cold_call", _("Cold call")
    WECHAT = "wechat", _("WeChat")
    ADVERTISING = "advertising", _("Advertising")
    PARTNER = "partner", _("Partner")
    OTHER = "other", _("Other")


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    QUALIFIED = "qualified", _("Qualified")
    CONVERTED = "converted", _("Converted")
    LOST = "lost", pgettext_lazy("lead status", "Lost")  # 无效, where a lost deal is 输单


class DealStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class DealType(models.TextChoices):
    """What kind of work a deal is for; picks the project template when the deal is won."""

    INSTALLATION = "installation", _("New installation")
    RETROFIT = "retrofit", _("Retrofit")
    MAINTENANCE = "maintenance", _("Maintenance")
    DESIGN = "design", _("Design")
    SUPPLY = "supply", _("Equipment supply")
    CONSULTING = "consulting", _("Consulting")
    OTHER = "other", _("Other")


class ActivityKind(models.TextChoices):
    CALL = "call", _("Call")
    VISIT = "visit", _("Visit")
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", pgettext_lazy("activity kind", "Email")  # 邮件, where the address is 邮箱
    WECHAT = "wechat", _("WeChat")
    NOTE = "note", _("Note")
    TASK = "task", _("Task")


class ContractType(models.TextChoices):
    CONSTRUCTION = "construction", _("Construction and installation")
    MAINTENANCE = "maintenance", _("Maintenance")
    DESIGN = "design", _("Design")
    SUPPLY = "supply", _("Supply")
    SERVICE = "service", _("Technical service")
    FRAMEWORK = "framework", _("Framework agreement")
    OTHER = "other", _("Other")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


class DueRule(models.TextChoices):
    ON_DATE = "on_date", _("On a date")
    ON_MILESTONE = "on_milestone", _("On a project milestone")
    AFTER_ACCEPTANCE = "after_acceptance_days", _("Days after acceptance")


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PARTLY_RECEIVED = "partly_received", _("Partly received")
    RECEIVED = "received", _("Received")
    OVERDUE = "overdue", _("Overdue")
    VOID = "void", _("Void")


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    ACCEPTANCE_BILL = "acceptance_bill", _("Bank acceptance bill")
    CHEQUE = "cheque", _("Cheque")
    CASH = "cash", _("Cash")
    OTHER = "other", _("Other")


class DedupDecision(models.TextChoices):
    """What a lead conversion does when the company may already be an account."""

    CREATE = "create", _("Create a new account")
    LINK = "link", _("Link to the existing account")
    MERGE = "merge", _("Merge into the existing account")


class PoolMoveKind(models.TextChoices):
    """How an account changed hands between a public pool (公海) and an owner."""

    CLAIM = "claim", _("Claimed")
    ASSIGN = "assign", _("Assigned")
    RELEASE = "release", _("Released to the pool")
    RECALL = "recall", _("Recalled to the pool")


class TargetLevel(models.TextChoices):
    """Whose sales target (业绩目标) it is."""

    COMPANY = "company", _("Company")
    DEPARTMENT = "department", _("Department")
    PERSON = "person", _("Person")


class TargetMetric(models.TextChoices):
    CONTRACTS = "contracts", _("Contract amount")
    RECEIPTS = "receipts", _("Receipts")


class ContactLanguage(models.TextChoices):
    """The language a contact is written to in (surveys, links); blank is the organisation's own."""

    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"
