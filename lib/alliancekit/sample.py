"""Seeded sample data: a complete fictional client engagement with known, planted structure.

The sample engagement (Northwind Systems) serves two purposes. Consultants see every input
file filled in plausibly, and the tests of each phase check that its analysis *recovers*
structure that was planted on purpose. :func:`generate_tables` returns the ten input tables
and a :class:`SampleTruth` describing what was planted; :func:`write_engagement` writes them
as an engagement folder (``engagement.yml`` + ``data/*.csv``), and
:func:`write_exports_engagement` writes the same data as the client would export it (a CRM
report and a partner directory as workbooks, a forms export, Word and text interview notes)
with an engagement file of mappings that brings it back to the same inputs (all but the
health survey, which the exports engagement leaves out).

What is planted (numbers in the group profile :data:`_PROFILE` and the constants below):

- **Four partner groups** of roughly equal size, well apart in revenue level and trend and
  in activity, win rate and MDF use: ``strong_growing``, ``emerging``, ``declining``,
  ``dormant`` (:attr:`SampleTruth.segments`).
- **Leading indicators** (default ``joint_accounts_nominated`` 6 months,
  ``proposals_submitted`` 3, ``deal_registrations`` 2): each is exogenous AR(1) noise around
  the partner's activity level, and revenue at month t is multiplied by
  ``1 + beta * (indicator[t - lag] - level) / level``, so within-partner *changes* of the
  indicator predict changes of revenue at exactly that lag and no other.
- **Decoys** that must not look leading: ``certifications`` (a cumulative count that only
  grows, faster for growing partners: a trend), ``enablement_sessions`` (quarterly
  kick-off seasonality only; revenue has no seasonality) and ``mdf_spent`` (a share of the
  *previous* month's revenue: reverse causation).
- **Coincident columns** derived from same-month revenue: ``bookings``,
  ``pipeline_created``, ``new_customers``, ``sourced_revenue`` + ``influenced_revenue``
  (which add up to revenue to the cent). ``joint_campaigns`` is unrelated noise.
- Opportunities consistent with the groups, multi-partner deals, direct deals (no partner:
  fewer won, slower to close than partner deals; drawn from their own generator after
  everything else, so adding them changed no other row), a staff plan with one
  overloaded alliance manager and a few partners nobody covers, strategic partners without
  an executive sponsor, interviews with identities to redact and themes named by many or by
  few respondents, a maturity survey with one dimension rated high by all and one that
  splits the executives from sales and marketing, and candidates that overlap current partners.
- **A fair comparison of alliance managers**: one covers only strong, growing partners, but the
  weakest of them; another only declining and dormant ones, but the best of theirs. Raw
  totals rank the first far above the second; against what the partner mix predicts, the
  second is ahead. Only who covers which partner was chosen (last, without random draws).
- **Hiring scores** for two positions (their own generator): per position a clear best
  candidate, one the interview panel split on, one with a critical gap.
- **A two-sided alliance health survey** of the 12 largest alliances in two waves six months
  apart (its own generator, :func:`generate_health_survey`): conflict resolution and joint
  planning the weakest dimensions everywhere, three alliances whose two sides are far apart on
  one dimension, one whose partner's field mind-share rises clearly, the others with no gap.

Last year's engagement of the same client (:func:`previous_year`, written by
:func:`write_previous_year` to ``data_samples/northwind-2025``): the same partners, names, staff
and sponsors, data a year earlier, and changes planted against this year's for a review-cycle
comparison (segments that moved, exit review candidates that stay or recover, partners added and
ended, a leading indicator's lag, a maturity dimension), listed in a :class:`CycleTruth`.

Everything is drawn from one ``numpy.random.default_rng(seed)`` threaded through small pure
functions, vectorised over partners, so 100,000 partners x 36 months take seconds and the
same seed gives the same files byte for byte.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
import yaml

from .paths import TEMPLATES

# ----------------------------------------------------------------------------------------------
# Definitions
# ----------------------------------------------------------------------------------------------

QUESTIONNAIRE_PATH = TEMPLATES / "maturity_questionnaire.yml"
INTERVIEW_GUIDE_PATH = TEMPLATES / "org_design" / "interview_guide.yml"
STATEMENTS_PATH = Path(__file__).resolve().parent / "data" / "sample_interview_statements.csv"

GROUPS = ("strong_growing", "emerging", "declining", "dormant")

#: Planted leading indicators and their lags in months (overridable with ``leading=``).
DEFAULT_LEADING = {"joint_accounts_nominated": 6, "proposals_submitted": 3, "deal_registrations": 2}

#: Decoys: indicator -> why it is not leading.
DECOYS = {"certifications": "trend", "enablement_sessions": "seasonal", "mdf_spent": "reverse"}

#: Columns computed from the same month's revenue (coincident, not leading).
COINCIDENT = ("bookings", "pipeline_created", "new_customers", "sourced_revenue", "influenced_revenue")

#: Columns that cannot be planted as leading indicators.
_RESERVED = {"partner_id", "month", "revenue", "sourced_revenue", "influenced_revenue"}

#: Per-group profile, indexed like :data:`GROUPS`. ``size`` is monthly revenue at the window
#: start, ``growth`` the monthly log growth, ``activity`` the multiplier of indicator levels.
_PROFILE = {
    "size": np.array([300_000.0, 20_000.0, 380_000.0, 1_500.0]),
    "growth": np.array([0.020, 0.045, -0.022, 0.0]),
    "activity": np.array([1.0, 0.6, 0.45, 0.05]),
    "win_rate": np.array([0.60, 0.42, 0.22, 0.10]),
    "opps_per_year": np.array([6.0, 3.5, 3.0, 0.4]),
    "mdf_use": np.array([0.80, 0.60, 0.40, 0.05]),
    "cert_start": np.array([40.0, 6.0, 30.0, 2.0]),
    "cert_rate": np.array([1.5, 1.0, 0.2, 0.02]),
    "campaigns": np.array([1.0, 0.6, 0.3, 0.02]),
    "enablement": np.array([2.0, 1.5, 0.8, 0.1]),
    "coverage": np.array([3.0, 4.0, 1.5, 0.5]),
    "target_uplift": np.array([1.20, 1.50, 1.00, 1.00]),
    "years_active": np.array([[3.0, 12.0], [0.3, 2.0], [5.0, 14.0], [2.0, 10.0]]),
}

#: Monthly level of an indicator at activity 1 (a strong partner); unknown names get 5.
_INDICATOR_LEVEL = {"joint_accounts_nominated": 6.0, "proposals_submitted": 5.0, "deal_registrations": 10.0}
_AR_PHI = 0.5          # autocorrelation of indicator noise
_AR_SD = 0.35          # relative size of indicator noise
_BETA_TOTAL = 0.25     # revenue response to all leading indicators' relative deviations together
_REVENUE_NOISE = 0.05  # month-to-month revenue noise (log sd)
_MDF_RATE = 0.03       # MDF spent as a share of last month's revenue
_ENABLEMENT_PATTERN = np.array([2.0, 0.7, 0.3])  # by month of quarter: kick-offs in the first month

PARTNER_TYPES = ("ISV", "GSI", "cloud", "IHV", "reseller", "distributor", "OEM", "other")
_TYPE_P = np.array([0.30, 0.20, 0.05, 0.08, 0.15, 0.07, 0.08, 0.07])
REGIONS = ("North America", "EMEA", "APAC", "LATAM")
_REGION_P = np.array([0.40, 0.30, 0.20, 0.10])
TIERS = ("Platinum", "Gold", "Silver", "Registered")
_TIER_SHARE = np.array([0.10, 0.25, 0.35, 0.30])
_TIER_MDF_FLOOR = np.array([20_000.0, 8_000.0, 3_000.0, 1_000.0])  # monthly MDF allocated at least
_SOURCED_SHARE = {"ISV": 0.35, "GSI": 0.40, "cloud": 0.25, "IHV": 0.30, "reseller": 0.70,
                  "distributor": 0.75, "OEM": 0.60, "other": 0.40}

#: What each partner type typically offers (used for overlap checks with candidates).
OFFERINGS = {
    "ISV": ("data platform", "security", "analytics", "CRM software", "observability"),
    "GSI": ("ERP services", "cloud migration", "data & AI consulting", "managed services"),
    "cloud": ("cloud infrastructure", "marketplace", "managed Kubernetes"),
    "IHV": ("storage hardware", "networking", "edge devices"),
    "reseller": ("licensing", "SMB bundles", "public sector resale"),
    "distributor": ("volume distribution", "marketplace aggregation"),
    "OEM": ("embedded analytics", "appliances"),
    "other": ("training", "industry association", "research"),
}
#: Offerings only candidates have: a candidate offering one of these overlaps no partner.
_NEW_OFFERINGS = ("quantum-safe security", "sovereign cloud", "edge AI", "digital twins", "green IT advisory")

_ONSETS = ("Vel", "Kor", "Tam", "Bri", "Sol", "Nex", "Quor", "Lum", "Zer", "Ard", "Cal", "Dro", "Fen",
           "Hal", "Jor", "Mar", "Ost", "Pra", "Riv", "Sen", "Tor", "Ulv", "Vin", "Wex", "Yar", "Bel",
           "Cor", "Dal", "Eri", "Gal", "Isk", "Kal", "Mer", "Nor", "Orl", "Pel", "Rus", "Sav", "Tev", "Zan")
_MIDDLES = ("a", "e", "i", "o", "u", "ar", "en", "il", "or", "um", "an", "is", "el", "ad", "ov")
_ENDINGS = ("ra", "nix", "ton", "vane", "lis", "mont", "dex", "ford", "quin", "well", "tek", "ora",
            "ium", "ant", "ello", "ix", "ion", "ara", "ent", "ova")
_DOUBLED = re.compile(r"([bcdfghjklmnpqrstvwxz])\1")  # 'Dalovvane' -> 'Dalovane'
_KINDS = {
    "ISV": ("Software", "Labs", "Analytics", "Technologies", "Data", "Logic", "Systems"),
    "GSI": ("Consulting", "Partners", "Group", "Advisory", "Digital", "Solutions", "Integration"),
    "cloud": ("Cloud", "Networks", "Compute", "Hosting", "Platforms"),
    "IHV": ("Devices", "Hardware", "Instruments", "Electronics", "Systems"),
    "reseller": ("Solutions", "IT", "Direct", "Technology Services", "Supplies"),
    "distributor": ("Distribution", "Trade", "Logistics", "Wholesale", "Channel"),
    "OEM": ("Industries", "Manufacturing", "Embedded", "Dynamics", "Works"),
    "other": ("Institute", "Academy", "Collective", "Ventures", "Associates"),
}
_LEGAL = {"North America": ("Inc", "LLC", "Corp"), "EMEA": ("Ltd", "GmbH", "BV", "AB", "SAS"),
          "APAC": ("Pte Ltd", "Pty Ltd", "KK"), "LATAM": ("S.A.", "Ltda", "SA de CV")}
_TLDS = {"North America": (".com", ".io"), "EMEA": (".co.uk", ".de", ".eu", ".com"),
         "APAC": (".com.au", ".sg", ".com"), "LATAM": (".com.br", ".com.mx", ".com")}

_FIRST = ("Maria", "James", "Aisha", "Chen", "Lukas", "Sofia", "Rahul", "Emma", "Diego", "Hannah",
          "Kenji", "Fatima", "Oliver", "Priya", "Mateo", "Ingrid", "Samuel", "Leila", "Tomás", "Chloé",
          "Noah", "Amara", "Felix", "Yuki", "Gabriel", "Nadia", "Arjun", "Elena", "Marcus", "Zoë",
          "Omar", "Freya", "Andrés", "Mei", "Jonas", "Isabel", "Kwame", "Laura", "Henrik", "Ana",
          "Daniel", "Sara", "Viktor", "Grace", "Luca", "Nora", "Ibrahim", "Clara", "Pedro", "Aiko",
          "Ethan", "Maya", "Björn", "Lucía", "Tariq", "Julia", "Hugo", "Inês", "Raj", "Olivia",
          "Mikael", "Renée", "Kofi", "Camille", "Ravi", "Astrid", "Sebastián", "Hana", "Paolo", "Eva")
_LAST = ("Lopez", "Okafor", "Lindqvist", "Tanaka", "Müller", "Fernández", "Nakamura", "Patel",
         "O'Brien", "Kowalski", "Haddad", "Schmidt", "Rossi", "Nguyen", "Dubois", "Andersen", "Silva",
         "Kim", "Novak", "Ibrahim", "Costa", "Yilmaz", "Jensen", "Moreau", "Alvarez", "Chowdhury",
         "Becker", "Santos", "Walsh", "Hoffmann", "Ferreira", "Larsen", "Mendes", "Sato", "Kaur",
         "Abara", "Brennan", "Castillo", "Delgado", "Eriksson", "Fischer", "García", "Hughes",
         "Ivanova", "Jovanović", "Keller", "Lambert", "Mensah", "Nilsson", "Ortega", "Park", "Quinn",
         "Reyes", "Sørensen", "Thompson", "Ueda", "Varga", "Weber", "Xu", "Young", "Zhang",
         "Adeyemi", "Bianchi", "Carvalho", "Dahl", "Engström", "Farouk", "Gallagher", "Horvath",
         "Ruiz-Tagle")
_INITIALS = tuple("ABCDEFGHJKLMNPRSTVW")

_STAFF_ROLES = ("alliance director", "alliance manager", "partner marketing manager",
                "partner solutions architect", "alliance operations analyst")
_RESPONDENT_ROLES = ("Alliance Director", "VP Partnerships", "Head of Alliances", "Sales Director",
                     "Practice Lead", "CTO", "Partner Marketing Manager", "Channel Manager")

_N_INTERVIEWS = 24
_N_INTERVIEWED_PARTNERS = 20
_N_RARE_THEMES = 6
_INTRO = ("This is {name} from {partner}.", "{name} here, {role} at {partner}.",
          "Interview notes: {name} ({role}, {partner}).", "Hi, I'm {name}, {role} at {partner}.")
_COLLEAGUE = ("My colleague {name} runs the day-to-day with your team.",
              "{name} on our side handles the joint pipeline reviews.",
              "I'd loop in {name}, who owns our marketing plan with you.",
              "You should also talk to {name}, our head of delivery.")
_CONTACT = ("You can reach me at {email} or on {phone}.", "My e-mail is {email}; my direct line is {phone}.",
            "Send the follow-up to {email}, or call {phone}.", "Best to call {phone}, or write to {email}.")
_URL = ("Our joint solution page is {url}.", "The case study is at {url} if you want the details.")
_PHONES = {
    "North America": ("+1 {a} 555 01{d2}", "({a}) 555-01{d2}", "{a}.555.01{d2}", "+1-{a}-555-01{d2}"),
    "EMEA": ("+44 20 7946 0{d3}", "020 7946 0{d3}", "+49 30 {d4} {d4}", "+33 1 {d2} {d2} {d2} {d2}",
             "+31 20 {d3} {d4}"),
    "APAC": ("+61 2 5550 {d4}", "+65 6{d3} {d4}", "+81 3-{d4}-{d4}"),
    "LATAM": ("+55 11 9{d4}-{d4}", "+52 55 {d4} {d4}", "+57 1 {d3} {d4}"),
}
_AREA_CODES = ("415", "212", "312", "617", "206", "512", "303")

#: Respondents per role in the maturity survey (roles not listed get one).
_SURVEY_ROLES = {"CEO": 1, "CFO": 1, "Sales": 3, "Marketing": 2, "Operations": 2, "IT": 2, "Alliances": 3}
_SURVEY_LOW_ROLES = ("Sales", "Marketing")
_SURVEY_HIGH_ROLES = ("CEO", "CFO")
_N_SKIPPED_ANSWERS = 3

#: Direct deals (the vendor's own, no partner): about this many per partner deal, won less
#: often and closing more slowly than partner deals, ids ``OPP-D`` + number after the partner deals'.
_DIRECT_PER_PARTNER_DEAL = 0.25
_DIRECT_WIN_RATE = 0.25
_DIRECT_CYCLE_DAYS = 150.0  # mean beyond the first 30 days (partner deals: 90)
_DIRECT_MEDIAN_AMOUNT = 60_000.0
#: Added to the seed for the direct deals' own generator (drawn after everything else).
_DIRECT_SEED_OFFSET = 1000
#: Added to the seed for the generator of partners added to a portfolio (``extra_groups``).
_EXTRA_SEED_OFFSET = 5000

_N_CANDIDATES = 12
_CRITERIA = ("strategic_fit", "market_access", "complementary_capabilities", "cultural_fit", "financial_strength")

#: Positions recruited for in the hiring scores (role ids of org_design/roles.yml) and candidates per position.
_HIRING_POSITIONS = {"alliance_manager": 4, "partner_solutions_architect": 3}
_HIRING_PANEL = 3  # interviewers per position, each scoring every competency of the position
#: Added to the seed for the hiring scores' own generator (drawn apart from everything else).
_HIRING_SEED_OFFSET = 3000
_HIRING_BLANK_NOTES = 0.25  # share of scores an interviewer leaves without a note (never a planted one)
#: What an interviewer writes about an answer, per competency: (a strong answer, a weak answer).
_NOTE_EVIDENCE = {
    "partner_strategy": ("built the case to restructure an alliance, with the partner's economics",
                         "described partners by logo and size; no view of what either side gains"),
    "relationship_building": ("knows the partner's field teams by name, not just the counterpart",
                              "the relationship rested on one contact at the partner"),
    "influencing_without_authority": ("got sellers who did not report to them to bring the partner into deals",
                                      "waited for a mandate from above before Sales engaged"),
    "joint_planning": ("a joint plan both sides signed, reviewed quarterly and re-planned mid-year",
                       "the plan was one side's deck and was not opened again after the kick-off"),
    "negotiation": ("settled a deal conflict on the facts, then changed the rule of engagement",
                    "passed the conflict up to managers without a recommendation"),
    "measurement": ("traced a scorecard gap to a multi-partner deal counted twice",
                    "took the partner's numbers as given; no view of attribution"),
    "communication": ("the QBR example ended with decisions, owners and dates",
                      "long on activities, no ask of the partner"),
    "joint_solution_design": ("designed a joint reference architecture that both field teams took to customers",
                              "demo-level knowledge of the partner's product; nothing taken to a customer"),
}
_NOTE_BY_SCORE = {
    5: ("Excellent, recent example: {strong}.", "Best answer of the panel: {strong}.", "Role-model level; {strong}."),
    4: ("Strong, specific example: {strong}.", "Convincing under follow-up questions: {strong}.", "Good: {strong}."),
    3: ("Solid; {strong}, though it needed prompting.", "Adequate example: {strong}, a few years old.",
        "Solid professional level, nothing more."),
    2: ("Thin: {weak}.", "Said 'we' throughout; {weak}.", "Below what the role needs: {weak}."),
    1: ("No real example: {weak}.", "Answer stayed hypothetical; {weak}.", "Concerning: {weak}."),
}

#: The two-sided alliance health survey (:func:`generate_health_survey`), drawn from its own
#: generator (seed + this offset) after everything else: adding it changed no other table.
HEALTH_BANK_PATH = TEMPLATES / "relationship_health" / "statement_bank.yml"  # the phase's template
_HEALTH_SEED_OFFSET = 4000
_HEALTH_ALLIANCES = 12        # the largest partners (by annual target) are surveyed
_HEALTH_WAVE_MONTHS = 6       # between the two waves; the second is the sample's last month
_HEALTH_BASE = 3.6            # latent mean of every dimension, before the offsets below
_HEALTH_DIMENSION_SPREAD = (-0.1, 0.3)  # each other dimension's offset, drawn once
_HEALTH_WEAKEST = {"conflict_resolution": -0.6, "joint_planning": -0.6}  # everywhere, both sides
#: The three planted gaps, in order of preference: (dimension, sign); +1: ``us`` rates it higher.
_HEALTH_GAPS = (("communication", 1), ("mutual_value", -1), ("executive_sponsorship", 1))
_HEALTH_GAP = (0.6, -1.4)     # a planted gap: the higher side's latent shift, the lower side's (2.0 apart)
_HEALTH_MIND_SHARE = "field_engagement"
_HEALTH_FIELD = ("sales", "presales", "support")  # who answers for the field's mind-share
_HEALTH_RISE = (-0.9, 0.9)    # the partner's field people's latent shift on mind-share, first wave and second
_HEALTH_ALLIANCE_NOISE = 0.15  # at most, per alliance and dimension, the same for both sides and waves
_HEALTH_BIAS = 0.2            # respondent's own leniency (sd)
_HEALTH_NOISE = 0.65          # per answer (sd); with the leniency about 0.7 in all
_HEALTH_PANEL_MAX = 10        # respondents per alliance, side and wave, at most
_HEALTH_BLANK = 0.07          # share of answers left blank (no basis to judge)
_HEALTH_RECOMMEND = 0.8       # share of respondents giving a 0-10 recommendation
_HEALTH_COMMENT = 0.2         # share of respondents leaving a comment
_HEALTH_NAMED = 0.35          # share of comments naming a person or giving an e-mail address
_HEALTH_US_DOMAIN = "northwind.example"
#: Comments by dimension: (critical, appreciative); about the other side, so they read from either.
_HEALTH_COMMENTS = {
    "strategic_fit": (("I still can't tell you what the joint value proposition is supposed to be.",
                       "Our roadmaps drifted apart this year and nobody has said it out loud."),
                      ("The joint offer finally makes sense to customers; the story sells itself.",)),
    "mutual_value": (("Honestly, it feels like we put in far more than we get back from this one.",
                      "The money mostly flows one way, and our leadership has started asking why we bother."),
                     ("Both sides are making real money on this, which is why it holds together.",)),
    "trust": (("Every forecast they share gets discounted by half on our side, and they know it.",
               "We found out about their competing offer from a customer. That hurt."),
              ("When they say a deal is real, it is real. That took years to build.",)),
    "communication": (("We hear about their reorganisations on LinkedIn, not from them.",
                       "Emails go unanswered for a week unless you copy someone senior."),
                      ("The weekly call is short and actually useful; no surprises any more.",)),
    "joint_planning": (("The joint business plan was written in January and nobody has opened it since.",
                        "Planning is a slide deck once a year, not a plan with owners and dates.",
                        "We set targets together but never agree who does what to hit them."),
                       ("The joint plan has a name and a date against every line, and we review it monthly.",)),
    "conflict_resolution": (("When two reps claim the same account it drags on for weeks and the customer notices.",
                             "There is no escalation path that works; disputes go quiet until someone leaves.",
                             "Every channel conflict ends up on a VP's desk because nobody below can decide."),
                            ("Account disputes get settled inside a week now, which is new.",)),
    "executive_sponsorship": (("Our sponsor has not met their side in over a year.",
                               "The executive sponsor signs the plan and then disappears until renewal."),
                              ("Having an executive who turns up to the quarterly review makes all the difference.",)),
    "governance": (("The quarterly reviews are status theatre; nothing gets decided in them.",
                    "Nobody knows who owns the decision when the plan and the quarter disagree."),
                   ("The steering group decides things, and the minutes go out the same day.",)),
    "field_engagement": (("Their sellers don't know what we do; we never get pulled into deals.",
                          "Outside the alliance team, nobody on their side has heard of the partnership."),
                         ("Their account teams now call us in early on the big deals.",
                          "Our reps and theirs share account plans without being asked to.")),
    "operations": (("Deal registration and ordering still take far too many e-mails.",
                    "Getting a joint quote out takes three weeks and two spreadsheets."),
                   ("Quoting and ordering through them is painless now.",)),
}
_HEALTH_GENERIC = (("It works, but it depends on a handful of people.",), ("Good year overall; keep it going.",))
#: Sentences that name someone in a comment (identities the phase must redact): critical, appreciative.
_HEALTH_NAMING = (("{name} promised a fix in the spring and we are still waiting.",
                   "Everything on their side waits for {name} to sign it off.",
                   "Write to me at {email} if you want the examples.",
                   "Happy to say more: {email}."),
                  ("Credit to {name}, who keeps this alive.",
                   "{name} on their side is the reason it works.",
                   "Happy to say more: {email}."))

_IT_SPEND = {"North America": 0.055, "EMEA": 0.040, "APAC": 0.065, "LATAM": 0.050}
_GDP = {"North America": 0.021, "EMEA": 0.013, "APAC": 0.038, "LATAM": 0.022}


@dataclass(frozen=True)
class SampleTruth:
    """What :func:`generate_tables` planted, for tests to check the analyses recover it.

    Ids are those of the generated tables (``P001``, ``S03``, ``C07``, ``INT-05``, ``R02``).
    """

    segments: dict[str, str]                 # partner_id -> one of GROUPS
    leading_lags: dict[str, int]             # indicator -> planted lag in months
    decoys: dict[str, str]                   # indicator -> "trend" / "seasonal" / "reverse"
    overloaded_staff: list[str]              # staff_id of the alliance manager with far too many partners
    uncovered_partners: list[str]            # partner_ids nobody in staff covers
    overlapping_candidates: dict[str, str]   # candidate_id -> partner_id with same type, region, offering
    coincident: list[str] = field(default_factory=list)      # columns that move with same-month revenue
    unrelated: list[str] = field(default_factory=list)       # noise columns with no link to revenue
    missing_sponsor: list[str] = field(default_factory=list)  # Platinum partner_ids with no exec sponsor
    best_candidate: str = ""                 # candidate with the highest scores and no overlap
    maturity_high_dimension: str = ""        # everyone rates it 4-5 (highest mean)
    maturity_split_dimension: str = ""       # Sales/Marketing 1-2, CEO/CFO 4-5 (largest role gap)
    maturity_low_roles: tuple[str, ...] = _SURVEY_LOW_ROLES
    maturity_high_roles: tuple[str, ...] = _SURVEY_HIGH_ROLES
    maturity_skipped: list[tuple[str, str]] = field(default_factory=list)  # (respondent_id, question_id) left blank
    interview_statements: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # id -> [{text, quadrant, theme}]
    interview_identities: dict[str, list[str]] = field(default_factory=dict)  # id -> strings that must be redacted
    theme_respondents: dict[str, int] = field(default_factory=dict)  # theme -> distinct respondents naming it
    common_themes: list[str] = field(default_factory=list)  # themes named by >= 4 respondents
    rare_themes: list[str] = field(default_factory=list)    # themes named by 1-2 respondents
    direct_deals: list[str] = field(default_factory=list)   # opportunity_ids of the deals without a partner
    # the fair comparison of alliance managers: raw totals against what the partner mix predicts
    inherited_stars_manager: str = ""  # staff_id: strong_growing partners only, the weakest of their segment
    beats_mix_manager: str = ""        # staff_id: declining and dormant partners, the best of their segments
    # hiring_scores: one clear best candidate, one the panel split on, one with a critical gap, per position
    best_candidates: dict[str, str] = field(default_factory=dict)   # position -> candidate_id meeting every level
    split_candidates: dict[str, str] = field(default_factory=dict)  # position -> candidate_id the panel split on
    split_competency: dict[str, str] = field(default_factory=dict)  # candidate_id -> competency scored 3 points apart
    critical_gaps: dict[str, str] = field(default_factory=dict)     # candidate_id -> weight-3 competency far below
    # health_survey: the two-sided alliance health survey (two waves)
    health_waves: tuple[str, ...] = ()                  # the survey's waves (YYYY-MM), earliest first
    health_alliances: list[str] = field(default_factory=list)  # partner_ids surveyed
    health_gaps: dict[str, tuple[str, int]] = field(default_factory=dict)  # partner_id -> (dimension, +1: us higher)
    mind_share_rise: str = ""                           # partner_id: the partner's field mind-share rises between waves
    weakest_dimensions: tuple[str, ...] = ()            # lowest portfolio-wide, on both sides
    health_identities: list[str] = field(default_factory=list)  # names and e-mail addresses in comments
    # not a plant: who the staff and executive sponsors are, in the order drawn (another year keeps them)
    staff_and_sponsors: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------------------------
# Small helpers
# ----------------------------------------------------------------------------------------------

def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    """``prefix`` + zero-padded numbers 1..n, wide enough that ids sort in order."""
    width = max(width, len(str(n)))
    return np.array([f"{prefix}{i:0{width}d}" for i in range(1, n + 1)], dtype=object)


def _dates(days: np.ndarray) -> np.ndarray:
    """``datetime64[D]`` values as ``YYYY-MM-DD`` strings."""
    return np.datetime_as_string(days.astype("datetime64[D]"), unit="D").astype(object)


def _ascii(text: str) -> str:
    """Lowercase ASCII letters only (for e-mail addresses and domains): 'Müller' -> 'muller'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", folded.lower())


def _fill_digits(rng: np.random.Generator, template: str, area: str) -> str:
    """Replace ``{a}`` with an area code and ``{dN}`` with N random digits."""
    def digits(match: re.Match) -> str:
        return "".join(str(d) for d in rng.integers(0, 10, int(match.group(1))))
    return re.sub(r"\{d(\d)\}", digits, template.replace("{a}", area))


def _unique_draws(rng: np.random.Generator, n: int, make, taken: set[str] = frozenset()) -> np.ndarray:
    """``n`` distinct strings from ``make(rng, idx)`` (which draws for positions ``idx``).

    Positions whose string repeats an earlier one (or one in ``taken``) are drawn again until
    all differ; the pools are many times larger than ``n``, so this ends after a few rounds.
    """
    out = np.empty(n, dtype=object)
    todo = np.arange(n)
    for _ in range(1000):
        out[todo] = make(rng, todo)
        series = pd.Series(out)
        bad = series.duplicated(keep="first").to_numpy() | series.isin(taken).to_numpy()
        todo = np.flatnonzero(bad)
        if len(todo) == 0:
            return out
    raise ValueError("could not draw enough distinct names")  # pragma: no cover


def _company_names(rng: np.random.Generator, types: np.ndarray, regions: np.ndarray,
                   taken: set[str] = frozenset()) -> np.ndarray:
    """Distinct fictional company names: invented stem + a word fitting the type + legal form.

    E.g. 'Velarnix Analytics GmbH'. Stems come from syllable lists (12,000 of them), so even
    100,000 partners get distinct, pronounceable names that belong to no real company.
    """
    def make(rng: np.random.Generator, idx: np.ndarray) -> list[str]:
        k = len(idx)
        o = rng.integers(0, len(_ONSETS), k)
        m = rng.integers(0, len(_MIDDLES), k)
        e = rng.integers(0, len(_ENDINGS), k)
        u = rng.random((k, 2))
        names = []
        for j, i in enumerate(idx):
            kinds, legal = _KINDS[types[i]], _LEGAL[regions[i]]
            stem = _DOUBLED.sub(r"\1", _ONSETS[o[j]] + _MIDDLES[m[j]] + _ENDINGS[e[j]]).capitalize()
            names.append(f"{stem} {kinds[int(u[j, 0] * len(kinds))]} {legal[int(u[j, 1] * len(legal))]}")
        return names
    return _unique_draws(rng, len(types), make, taken)


def _person_names(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """``n`` distinct fictional people (first, last, full name); middle initials when many are needed."""
    initials = n > len(_FIRST) * len(_LAST) // 4

    def make(rng: np.random.Generator, idx: np.ndarray) -> list[str]:
        f = rng.integers(0, len(_FIRST), len(idx))
        l = rng.integers(0, len(_LAST), len(idx))
        if not initials:
            return [f"{_FIRST[a]} {_LAST[b]}" for a, b in zip(f, l)]
        m = rng.integers(0, len(_INITIALS), len(idx))
        return [f"{_FIRST[a]} {_INITIALS[c]}. {_LAST[b]}" for a, b, c in zip(f, l, m)]

    full = _unique_draws(rng, n, make)
    parts = [name.split(" ") for name in full]
    return pd.DataFrame({"first": [p[0] for p in parts], "last": [p[-1] for p in parts], "full": full})


# ----------------------------------------------------------------------------------------------
# Partners
# ----------------------------------------------------------------------------------------------

def _partner_plan(rng: np.random.Generator, n: int, months: int, window_start: np.datetime64,
                  overrides: dict[int, int] | None = None) -> pd.DataFrame:
    """Hidden per-partner drivers: group, size, growth, activity, type, region, tier, start date.

    Groups are shuffled equal shares; size is the group's level times lognormal spread; tier
    follows the revenue level at mid-window (with some noise) so Platinum partners are
    mostly the large ones. ``overrides`` (position -> index in :data:`GROUPS`) replaces the
    drawn group of those partners before anything is drawn from it: the same draws, so every
    other partner keeps its drivers (a previous year's plan, :func:`previous_year`).
    """
    window_growth = months / 2
    group = rng.permutation(np.arange(n) % len(GROUPS))
    if overrides:
        group[list(overrides)] = list(overrides.values())
    size = _PROFILE["size"][group] * rng.lognormal(0.0, 0.35, n)
    growth = _PROFILE["growth"][group] + rng.normal(0.0, 0.004, n)
    activity = _PROFILE["activity"][group] * rng.lognormal(0.0, 0.2, n)
    ptype = np.array(PARTNER_TYPES, dtype=object)[rng.choice(len(PARTNER_TYPES), n, p=_TYPE_P)]
    region = np.array(REGIONS, dtype=object)[rng.choice(len(REGIONS), n, p=_REGION_P)]
    rank = np.argsort(np.argsort(-(np.log(size) + window_growth * growth + rng.normal(0.0, 0.25, n)),
                                 kind="stable"), kind="stable")
    cuts = np.round(np.cumsum(_TIER_SHARE) * n).astype(int)
    cuts[0] = max(cuts[0], 2)
    tier = np.searchsorted(cuts, rank, side="right")
    years = _PROFILE["years_active"][group]
    age_days = (years[:, 0] + rng.random(n) * (years[:, 1] - years[:, 0])) * 365.25
    start = window_start - age_days.astype("timedelta64[D]")
    share = np.clip(np.array([_SOURCED_SHARE[t] for t in ptype]) + rng.normal(0, 0.08, n), 0.05, 0.95)
    offering = np.array([OFFERINGS[t][int(u * len(OFFERINGS[t]))] for t, u in zip(ptype, rng.random(n))], dtype=object)
    return pd.DataFrame({"group": group, "size": size, "growth": growth, "activity": activity,
                         "partner_type": ptype, "region": region, "tier": tier, "start": start,
                         "sourced_share": share, "offering": offering})


# ----------------------------------------------------------------------------------------------
# Partner metrics
# ----------------------------------------------------------------------------------------------

def _ar1_counts(rng: np.random.Generator, level: np.ndarray, length: int) -> np.ndarray:
    """Whole counts around each partner's ``level``: AR(1) noise, partners x ``length`` months.

    Exogenous by construction (nothing else feeds into it), stationary (no trend), so its
    within-partner changes carry information only through what revenue does with them.
    """
    shocks = rng.standard_normal((len(level), length))
    z = np.empty_like(shocks)
    z[:, 0] = shocks[:, 0]
    scale = math.sqrt(1.0 - _AR_PHI**2)
    for t in range(1, length):
        z[:, t] = _AR_PHI * z[:, t - 1] + scale * shocks[:, t]
    return np.maximum(0.0, np.rint(level[:, None] * (1.0 + _AR_SD * z)))


def _indicator_level(name: str, activity: np.ndarray) -> np.ndarray:
    """Each partner's monthly level of an activity indicator."""
    return _INDICATOR_LEVEL.get(name, 5.0) * activity


def _revenue(rng: np.random.Generator, plan: pd.DataFrame, months: int, paths: dict[str, np.ndarray],
             levels: dict[str, np.ndarray], leading: dict[str, int]) -> np.ndarray:
    """Monthly revenue for ``months + 1`` months (one before the window, for lagged uses).

    Trend (size x exp(growth x t)) times ``1 + sum beta * relative deviation of each leading
    indicator ``lag`` months earlier`` times lognormal noise. No calendar seasonality, so
    seasonal indicators cannot line up with it.
    """
    length = next(iter(paths.values())).shape[1] if paths else months + 1
    start = length - months - 1
    t_rel = np.arange(-1, months)[None, :]
    trend = plan["size"].to_numpy()[:, None] * np.exp(plan["growth"].to_numpy()[:, None] * t_rel)
    effect = np.zeros_like(trend)
    beta = _BETA_TOTAL / math.sqrt(max(len(leading), 1))
    for name, lag in leading.items():
        level = levels[name][:, None]
        dev = np.clip((paths[name] - level) / np.maximum(level, 2.0), -1.0, 1.5)
        effect += beta * dev[:, start - lag:length - lag]
    noise = rng.normal(0.0, _REVENUE_NOISE, trend.shape)
    return np.round(trend * np.maximum(0.05, 1.0 + effect) * np.exp(noise), 2)


def _mdf(rng: np.random.Generator, plan: pd.DataFrame, revenue_prev: np.ndarray,
         years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """MDF allocated (fixed per partner and calendar year) and spent (driven by last month's revenue).

    Spent = a partner-specific share of the previous month's revenue (reverse causation: money
    follows results); the yearly allocation is what the group's utilisation implies, never
    below the tier's floor, so dormant partners sit on idle funds.
    """
    n, t = revenue_prev.shape
    rate = _MDF_RATE * rng.lognormal(0.0, 0.2, n)
    spent = rate[:, None] * revenue_prev * rng.lognormal(0.0, 0.05, (n, t))
    use = _PROFILE["mdf_use"][plan["group"].to_numpy()]
    floor = _TIER_MDF_FLOOR[plan["tier"].to_numpy()]
    allocated = np.empty_like(spent)
    for year in np.unique(years):
        cols = years == year
        need = spent[:, cols].mean(axis=1) / use
        allocated[:, cols] = np.round(np.maximum(floor, need), -2)[:, None]
    return allocated, np.round(np.minimum(spent, allocated), 2)


def _money_split(rng: np.random.Generator, revenue: np.ndarray, share: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sourced and influenced revenue that add up to revenue exactly (computed in cents)."""
    cents = np.rint(revenue * 100)
    monthly = np.clip(share[:, None] + rng.normal(0.0, 0.05, revenue.shape), 0.0, 1.0)
    sourced = np.rint(cents * monthly)
    return sourced / 100, (cents - sourced) / 100


def _partner_metrics(rng: np.random.Generator, plan: pd.DataFrame, partner_ids: np.ndarray,
                     month_index: pd.PeriodIndex, leading: dict[str, int]) -> tuple[pd.DataFrame, np.ndarray]:
    """The monthly metrics table (partner-major, months ascending) and the revenue matrix."""
    n, months = len(plan), len(month_index)
    group = plan["group"].to_numpy()
    activity = plan["activity"].to_numpy()
    length = months + 1 + max(leading.values(), default=0)
    names = list(leading) + [k for k in DEFAULT_LEADING if k not in leading]
    levels = {k: _indicator_level(k, activity) for k in names}
    paths = {k: _ar1_counts(rng, levels[k], length) for k in names}
    rev_ext = _revenue(rng, plan, months, paths, levels, leading)
    revenue, revenue_prev = rev_ext[:, 1:], rev_ext[:, :-1]
    years = month_index.year.to_numpy()

    allocated, spent = _mdf(rng, plan, revenue_prev, years)
    sourced, influenced = _money_split(rng, revenue, plan["sourced_share"].to_numpy())
    quarter_month = (month_index.month.to_numpy() - 1) % 3
    cols: dict[str, np.ndarray] = {
        "revenue": revenue,
        "bookings": np.round(revenue * rng.lognormal(math.log(1.05), 0.12, revenue.shape), 2),
        "new_customers": rng.poisson(revenue / 40_000.0),
        "pipeline_created": np.round(revenue * (_PROFILE["coverage"][group][:, None]
                                                * rng.lognormal(0.0, 0.25, revenue.shape)), 2),
        # activity indicators (leading or unrelated) are filled in below; listed here for the column order
        "deal_registrations": None, "joint_accounts_nominated": None, "proposals_submitted": None,
        "certifications": (rng.poisson(_PROFILE["cert_start"][group])[:, None]
                           + rng.poisson(_PROFILE["cert_rate"][group][:, None], revenue.shape).cumsum(axis=1)),
        "enablement_sessions": rng.poisson(_PROFILE["enablement"][group][:, None] * _ENABLEMENT_PATTERN[quarter_month][None, :]),
        "joint_campaigns": rng.poisson(_PROFILE["campaigns"][group][:, None] * np.ones((1, months))),
        "mdf_allocated": allocated, "mdf_spent": spent,
        "sourced_revenue": sourced, "influenced_revenue": influenced,
    }
    for k in names:
        cols[k] = paths[k][:, -months:].astype(np.int64)
    frame = pd.DataFrame({"partner_id": np.repeat(partner_ids, months),
                          "month": np.tile(month_index.strftime("%Y-%m").to_numpy(dtype=object), n)})
    for name, values in cols.items():
        frame[name] = values.reshape(-1)
    return frame, revenue


# ----------------------------------------------------------------------------------------------
# Staff and coverage
# ----------------------------------------------------------------------------------------------

def _staff_counts(n: int) -> dict[str, int]:
    """People per staff role for ``n`` partners: one alliance manager per 12 partners (published
    practice holds 10-20 sustainable), a director and an analyst per 60, marketing and solutions per 30."""
    return {"alliance director": max(1, math.ceil(n / 60)), "alliance manager": max(3, math.ceil(n / 12)),
            "partner marketing manager": max(1, math.ceil(n / 30)),
            "partner solutions architect": max(1, math.ceil(n / 30)),
            "alliance operations analyst": max(1, math.ceil(n / 60))}


def _round_robin(rng: np.random.Generator, idx: np.ndarray, k: int) -> np.ndarray:
    """Spread partner positions ``idx`` over ``k`` people in random order (staff index per partner)."""
    return rng.permutation(len(idx)) % k


def _staff(rng: np.random.Generator, plan: pd.DataFrame, partner_ids: np.ndarray,
           people: pd.DataFrame) -> tuple[pd.DataFrame, str, np.ndarray]:
    """The staff table, the overloaded manager's staff id and the uncovered partners' positions.

    Alliance managers cover about 10-12 partners each (published practice: 10-20 is sustainable); one of
    them is given 2.5 times the typical load and at least 25 partners; about 5% of the
    smaller partners (Silver/Registered) are covered by nobody at all.
    """
    n = len(plan)
    tier = plan["tier"].to_numpy()
    small = np.flatnonzero(tier >= 2)
    n_uncovered = min(len(small), max(2, round(0.05 * n)))
    uncovered = np.sort(rng.choice(small, n_uncovered, replace=False))
    covered = rng.permutation(np.setdiff1d(np.arange(n), uncovered))
    counts = _staff_counts(n)
    roles = np.concatenate([[r] * counts[r] for r in _STAFF_ROLES]).astype(object)
    n_staff = len(roles)
    offset = {r: int(np.flatnonzero(roles == r)[0]) for r in _STAFF_ROLES}
    covers: list[list[str]] = [[] for _ in range(n_staff)]

    def assign(positions: np.ndarray, staff_index: np.ndarray) -> None:
        for pos, s in zip(positions, staff_index):
            covers[s].append(partner_ids[pos])

    m = counts["alliance manager"]
    over = int(rng.integers(0, m))
    k_over = min(max(25, round(2.5 * len(covered) / m)), len(covered) - (m - 1))
    others = np.array([i for i in range(m) if i != over])
    manager = np.zeros(n, dtype=np.int64)
    manager[covered[:k_over]] = over
    manager[covered[k_over:]] = others[_round_robin(rng, covered[k_over:], m - 1)]
    assign(covered, offset["alliance manager"] + manager[covered])

    platinum = covered[tier[covered] == 0]
    assign(platinum, offset["alliance director"] + _round_robin(rng, platinum, counts["alliance director"]))
    key = covered[tier[covered] <= 1]
    assign(key, offset["partner marketing manager"] + _round_robin(rng, key, counts["partner marketing manager"]))
    tech = key[np.isin(plan["partner_type"].to_numpy()[key], ("ISV", "cloud", "IHV", "OEM"))]
    assign(tech, offset["partner solutions architect"] + _round_robin(rng, tech, counts["partner solutions architect"]))

    staff_ids = _ids("S", n_staff, 2)
    fte = np.where(rng.random(n_staff) < 0.15, 0.8, 1.0)
    fte[roles == "partner solutions architect"] = np.where(
        rng.random(int((roles == "partner solutions architect").sum())) < 0.5, 0.5, 1.0)
    fte[offset["alliance manager"] + over] = 1.0
    staff = pd.DataFrame({"staff_id": staff_ids, "staff_name": people["full"].to_numpy()[:n_staff],
                          "role": roles, "partners_covered": [";".join(sorted(c)) for c in covers],
                          "fte": fte})
    return staff, str(staff_ids[offset["alliance manager"] + over]), uncovered


def _manager_names(staff: pd.DataFrame, partner_ids: np.ndarray) -> np.ndarray:
    """Each partner's alliance manager (the name of the alliance manager covering it; '' if none)."""
    managed_by = {p: name for name, role, covered in zip(staff["staff_name"], staff["role"], staff["partners_covered"])
                  if role == "alliance manager" for p in covered.split(";") if p}
    return np.array([managed_by.get(p, "") for p in partner_ids], dtype=object)


def _growth(revenue: np.ndarray) -> np.ndarray:
    """Each partner's revenue growth: the last 12 months against the 12 before (halves of a shorter window)."""
    w = min(12, revenue.shape[1] // 2)
    last, prev = revenue[:, -w:].sum(axis=1), revenue[:, -2 * w:-w].sum(axis=1)
    return np.where(prev > 0, last / np.where(prev > 0, prev, 1.0) - 1.0, 0.0)


#: Weights of growth, target attainment and win rate in a partner's results against its group
#: (:func:`_partner_results`): growth counts double, so the planted managers' partners are below
#: (above) their peers in growth itself, and the other two keep win-rate luck from undoing it.
_RESULT_WEIGHTS = np.array([2.0, 1.0, 1.0])
#: The "inherited stars" manager covers this many partners fewer than before, the "beats the mix"
#: manager one more, the manager with the fewest of the others the rest.
_STARS_FEWER = 2


def _partner_results(revenue: np.ndarray, partners: pd.DataFrame, opportunities: pd.DataFrame) -> np.ndarray:
    """Each partner's results, one row per partner, compared within its group by :func:`_plant_fair_comparison`.

    Columns: revenue growth (:func:`_growth`), attainment of the annual target (last 12 months'
    revenue against it) and win rate of the closed deals it took part in (missing below 3).
    """
    ids = partners["partner_id"].to_numpy()
    closed = opportunities[opportunities["closed"] != ""]
    took_part = closed.assign(partner_id=closed["partner_ids"].str.split(";")).explode("partner_id")
    deals = (took_part["won"] == "true").groupby(took_part["partner_id"]).agg(["size", "sum"]).reindex(ids)
    win_rate = (deals["sum"] / deals["size"]).where(deals["size"] >= 3).to_numpy(dtype=float)
    attainment = revenue[:, -12:].sum(axis=1) / partners["annual_target"].to_numpy(dtype=float)
    return np.column_stack([_growth(revenue), attainment, win_rate])


def _plant_fair_comparison(staff: pd.DataFrame, partner_ids: np.ndarray, group: np.ndarray, tier: np.ndarray,
                           results: np.ndarray, overloaded: str) -> tuple[pd.DataFrame, str, str]:
    """Give two alliance managers the portfolios that make raw totals unfair to compare.

    A partner's standing in its group is the weighted mean (:data:`_RESULT_WEIGHTS`) of its
    percentile ranks in the group in ``results`` (:func:`_partner_results`; a missing win rate
    is left out). Of the managers other than the overloaded one, the one with the fewest
    partners ("inherited stars") gets only ``strong_growing`` partners, the weakest of that
    group, and :data:`_STARS_FEWER` partners fewer than before; the next ("beats the mix")
    gets only ``declining`` and ``dormant`` partners (half each, declining first), the best of
    their groups, and one more. So the first one's raw totals are far above the second one's,
    while within each group the first one's partners are below their peers and the second
    one's above. Each takes at most half of a group's partners of any one tier (so partners
    like theirs stay with others to compare with) and at most one Platinum partner (each
    needs several times a Gold partner's effort: more would overload the manager, and the
    sample has one overloaded manager only). The partners the two covered before go to the managers who gave theirs
    up, one for one and tier for tier (so nobody's workload moves much); the one left over
    to the manager with the fewest partners. Every partner keeps one manager, uncovered
    partners stay uncovered, the overloaded manager keeps their number of partners.
    Deterministic (no random draws), so nothing else in the sample moves. Returns the staff
    table and the two staff ids ('' and no change when the portfolio is too small: each group
    needs enough partners to take and two more covered partners, so the taken ones have peers).
    """
    managers = staff.index[staff["role"] == "alliance manager"]
    covers = {i: [p for p in staff.at[i, "partners_covered"].split(";") if p] for i in managers}
    holder = {p: i for i in managers for p in covers[i]}
    position = {p: k for k, p in enumerate(partner_ids)}
    candidates = sorted((i for i in managers if staff.at[i, "staff_id"] != overloaded),
                        key=lambda i: (len(covers[i]), i))
    if len(candidates) < 3:
        return staff, "", ""
    a, b = candidates[:2]
    ranks = pd.DataFrame(results).groupby(group).rank(pct=True).to_numpy()
    score = np.nansum(ranks * _RESULT_WEIGHTS, axis=1) / np.sum(np.isfinite(ranks) * _RESULT_WEIGHTS, axis=1)

    def best_first(segment: int, lowest: bool) -> tuple[list[str], int]:
        """The group's covered partners that may be taken, worst (or best) first; and how many it covers."""
        members = sorted((p for p in holder if group[position[p]] == segment),
                         key=lambda p: ((score[position[p]] if lowest else -score[position[p]]), position[p]))
        per_tier = pd.Series([tier[position[p]] for p in members]).value_counts()
        room = {t: min(1, n // 2) if t == 0 else max(1, n // 2) for t, n in per_tier.items()}
        pool = []
        for p in members:
            if room[tier[position[p]]] > 0:
                room[tier[position[p]]] -= 1
                pool.append(p)
        return pool, len(members)

    n_stars, n_beats = max(1, len(covers[a]) - _STARS_FEWER), len(covers[b]) + 1
    wanted = [(*best_first(0, True), a, n_stars), (*best_first(2, False), b, (n_beats + 1) // 2),
              (*best_first(3, False), b, n_beats // 2)]
    if any(len(pool) < n or members < n + 2 for pool, members, _, n in wanted):
        return staff, "", ""
    target = {p: who for pool, _, who, n in wanted for p in pool[:n]}
    by_tier = lambda p: (tier[position[p]], position[p])  # noqa: E731
    freed = sorted((p for p in holder if holder[p] in (a, b) and p not in target), key=by_tier)
    gave_up = [holder[p] for p in sorted(target, key=by_tier) if holder[p] not in (a, b)]
    moved = dict(holder)
    moved.update(target)
    moved.update(zip(freed, gave_up))
    count = pd.Series(list(moved.values())).value_counts().reindex(candidates[2:], fill_value=0).to_dict()
    for p in freed[len(gave_up):]:  # the smallest partners left over
        moved[p] = min(count, key=lambda i: (count[i], i))
        count[moved[p]] += 1
    covered = {i: [] for i in managers}
    for p, i in moved.items():
        covered[i].append(p)
    staff = staff.copy()
    staff.loc[managers, "partners_covered"] = [";".join(sorted(covered[i])) for i in managers]
    return staff, str(staff.at[a, "staff_id"]), str(staff.at[b, "staff_id"])


# ----------------------------------------------------------------------------------------------
# Opportunities
# ----------------------------------------------------------------------------------------------

def _co_partners(rng: np.random.Generator, owner: np.ndarray, n_extra: np.ndarray,
                 weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Partner positions for multi-partner deals: 1-2 others per deal, never the owner or a repeat."""
    p = weights / weights.sum()
    first = rng.choice(len(p), len(owner), p=p)
    second = rng.choice(len(p), len(owner), p=p)
    for _ in range(1000):
        bad1 = first == owner
        first[bad1] = rng.choice(len(p), int(bad1.sum()), p=p)
        bad2 = (n_extra == 2) & ((second == owner) | (second == first))
        second[bad2] = rng.choice(len(p), int(bad2.sum()), p=p)
        if not bad1.any() and not bad2.any():
            break
    return first, second


def _opportunities(rng: np.random.Generator, plan: pd.DataFrame, partner_ids: np.ndarray,
                   window_start: np.datetime64, as_of: np.datetime64, months: int) -> pd.DataFrame:
    """Deals over the window: count, size and win rate follow the partner's group.

    About 15% of deals involve 2-3 partners (``partner_ids`` ``;``-separated, owner first).
    Deals whose sales cycle (30 days + exponential, mean 120 days) ends by ``as_of`` are
    closed (won with the group's win rate); the others are open at a stage that matches how
    far through their cycle they are.
    """
    group = plan["group"].to_numpy()
    rate = _PROFILE["opps_per_year"][group] * plan["activity"].to_numpy() / _PROFILE["activity"][group]
    owner = np.repeat(np.arange(len(plan)), rng.poisson(rate * months / 12))
    k = len(owner)
    span = int((as_of - window_start).astype(int)) + 1
    created = window_start + rng.integers(0, span, k).astype("timedelta64[D]")
    cycle = 30 + rng.exponential(90.0, k)
    closed_at = created + np.ceil(cycle).astype("timedelta64[D]")
    is_closed = closed_at <= as_of
    won = rng.random(k) < _PROFILE["win_rate"][group[owner]]
    progress = (as_of - created).astype(float) / cycle
    stage = np.where(is_closed, np.where(won, "Closed Won", "Closed Lost"), _open_stage(progress))
    t_rel = ((created - window_start).astype(float) / 30.44)
    trend = plan["size"].to_numpy()[owner] * np.exp(plan["growth"].to_numpy()[owner] * t_rel)
    amount = np.round(np.maximum(5_000.0, 0.8 * trend * rng.lognormal(0.0, 0.5, k)), -2)
    attribution = np.where(rng.random(k) < plan["sourced_share"].to_numpy()[owner], "sourced", "influenced")

    multi = rng.random(k) < 0.15
    n_extra = np.where(multi, np.where(rng.random(k) < 0.7, 1, 2), 0)
    first, second = _co_partners(rng, owner, n_extra, rate)
    ids = partner_ids[owner].astype(object)
    ids = np.where(n_extra >= 1, ids + ";" + partner_ids[first], ids)
    ids = np.where(n_extra == 2, ids + ";" + partner_ids[second], ids)

    frame = pd.DataFrame({
        "partner_ids": ids, "amount": amount, "stage": stage,
        "created": _dates(created), "closed": np.where(is_closed, _dates(closed_at), ""),
        "won": np.where(is_closed, np.where(won, "true", "false"), ""), "attribution": attribution,
        "_owner": owner,
    })
    frame = frame.sort_values(["created", "_owner", "amount"], kind="stable").drop(columns="_owner")
    frame.insert(0, "opportunity_id", _ids("OPP-", k, 5))
    return frame.reset_index(drop=True)


#: The stages of an open deal, in the order deals move through them.
OPEN_STAGES = ("Qualify", "Develop", "Propose", "Negotiate")


def _open_stage(progress: np.ndarray) -> np.ndarray:
    """The stage of an open deal that is ``progress`` (0-1) through its sales cycle."""
    stages = np.array(OPEN_STAGES, dtype=object)
    return stages[np.clip((progress * len(OPEN_STAGES)).astype(int), 0, len(OPEN_STAGES) - 1)]


def _direct_deals(rng: np.random.Generator, n_partner_deals: int, window_start: np.datetime64,
                  as_of: np.datetime64) -> pd.DataFrame:
    """Deals the vendor sells on its own: no ``partner_ids``, no ``attribution``.

    About :data:`_DIRECT_PER_PARTNER_DEAL` per partner deal over the window, won at
    :data:`_DIRECT_WIN_RATE` with a longer sales cycle than partner deals (30 days + exponential,
    mean :data:`_DIRECT_CYCLE_DAYS`), amounts lognormal around :data:`_DIRECT_MEDIAN_AMOUNT`;
    closed or open at a stage as :func:`_opportunities` decides. Ids ``OPP-D00001`` on, in
    order of creation, so they sort after the partner deals' ``OPP-00001`` ones.
    """
    k = int(rng.poisson(_DIRECT_PER_PARTNER_DEAL * n_partner_deals))
    span = int((as_of - window_start).astype(int)) + 1
    created = window_start + np.sort(rng.integers(0, span, k)).astype("timedelta64[D]")
    cycle = 30 + rng.exponential(_DIRECT_CYCLE_DAYS, k)
    closed_at = created + np.ceil(cycle).astype("timedelta64[D]")
    is_closed = closed_at <= as_of
    won = rng.random(k) < _DIRECT_WIN_RATE
    stage = np.where(is_closed, np.where(won, "Closed Won", "Closed Lost"),
                     _open_stage((as_of - created).astype(float) / cycle))
    amount = np.round(np.maximum(5_000.0, _DIRECT_MEDIAN_AMOUNT * rng.lognormal(0.0, 0.6, k)), -2)
    return pd.DataFrame({
        "opportunity_id": _ids("OPP-D", k, 5), "partner_ids": "", "amount": amount, "stage": stage,
        "created": _dates(created), "closed": np.where(is_closed, _dates(closed_at), ""),
        "won": np.where(is_closed, np.where(won, "true", "false"), ""), "attribution": "",
    })


# ----------------------------------------------------------------------------------------------
# Interviews
# ----------------------------------------------------------------------------------------------

def _load_statements(path: Path = STATEMENTS_PATH) -> pd.DataFrame:
    """The labelled interview statements (columns text, quadrant, theme)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _plan_themes(rng: np.random.Generator, statements: pd.DataFrame) -> tuple[list[str], list[str], list[int]]:
    """Which themes are common (all their statements used, by distinct respondents) and which are
    rare (1-2 statements): one rare theme per quadrant plus two more, from single-quadrant themes.

    Returns the common themes, the rare themes and the statement rows to use.
    """
    themed = statements[statements["theme"] != "other"]
    quadrants = themed.groupby("theme")["quadrant"].agg(lambda q: sorted(set(q)))
    single = quadrants[quadrants.map(len) == 1].map(lambda q: q[0])
    rare: list[str] = []
    for quadrant in sorted(set(single)):
        pool = sorted(single[single == quadrant].index)
        rare.append(pool[int(rng.integers(0, len(pool)))])
    rest = sorted(set(single.index) - set(rare))
    extra = max(0, min(_N_RARE_THEMES - len(rare), len(rest)))
    rare += [rest[i] for i in rng.choice(len(rest), extra, replace=False)]
    rare = sorted(rare)
    common = sorted(set(quadrants.index) - set(rare))
    rows: list[int] = []
    for theme in sorted(quadrants.index):
        idx = np.flatnonzero(statements["theme"].to_numpy() == theme)
        if theme in rare:
            idx = np.sort(rng.choice(idx, min(len(idx), int(rng.integers(1, 3))), replace=False))
        rows += idx.tolist()
    rows += np.flatnonzero(statements["theme"].to_numpy() == "other").tolist()
    return common, rare, rows


def _allocate(rng: np.random.Generator, statements: pd.DataFrame, rows: list[int], n: int) -> list[list[int]]:
    """Share statement ``rows`` among ``n`` interviews of 5-9 statements each, no theme twice in
    one interview (so a theme's statement count is its number of distinct respondents)."""
    rows = list(rows)
    others = [r for r in rows if statements.at[r, "theme"] == "other"]
    while len(rows) < 5 * n and others:  # a short statement file: reuse small talk
        rows.append(others[len(rows) % len(others)])
    if len(rows) > 9 * n:
        raise ValueError(f"{len(rows)} statements do not fit {n} interviews of at most 9")
    sizes = np.full(n, 5)
    for _ in range(len(rows) - 5 * n):
        open_ = np.flatnonzero(sizes < 9)
        sizes[open_[int(rng.integers(0, len(open_)))]] += 1
    capacity = sizes.copy()
    themes: list[set[str]] = [set() for _ in range(n)]
    out: list[list[int]] = [[] for _ in range(n)]
    by_theme = pd.Series(rows).groupby(statements["theme"].to_numpy()[rows]).agg(list)
    order = sorted(by_theme.index, key=lambda t: (t == "other", -len(by_theme[t]), t))
    for theme in order:
        for r in rng.permutation(by_theme[theme]):
            priority = rng.permutation(n)
            ok = [j for j in priority if capacity[j] > 0 and (theme == "other" or theme not in themes[j])]
            j = max(ok, key=lambda j: capacity[j])
            out[j].append(int(r))
            themes[j].add(theme)
            capacity[j] -= 1
    return [list(rng.permutation(o)) for o in out]


def _phone(rng: np.random.Generator, region: str) -> str:
    """A phone number in one of the region's usual formats (fictional ranges where they exist)."""
    formats = _PHONES[region]
    area = _AREA_CODES[int(rng.integers(0, len(_AREA_CODES)))]
    return _fill_digits(rng, formats[int(rng.integers(0, len(formats)))], area)


def _email(rng: np.random.Generator, first: str, last: str, domain: str) -> str:
    """An e-mail address for a person at ``domain`` in one of the common patterns."""
    f, l = _ascii(first), _ascii(last)
    patterns = (f"{f}.{l}", f"{f[0]}{l}", f"{f}_{l}", f"{f}{l[0]}", f"{f}.{l}")
    return f"{patterns[int(rng.integers(0, len(patterns)))]}@{domain}"


def _interviews(rng: np.random.Generator, partners: pd.DataFrame, plan: pd.DataFrame, people: pd.DataFrame,
                statements: pd.DataFrame, as_of: np.datetime64) -> tuple[pd.DataFrame, dict]:
    """About 24 partner interviews with about 20 partners, texts composed from labelled statements.

    Each text opens with the respondent's name, mentions a colleague by full name, ends with an
    e-mail address and a phone number and sometimes gives a URL: identities a SWOT must redact.
    """
    n = len(partners)
    k = min(_N_INTERVIEWED_PARTNERS, n)
    weight = np.array([4.0, 3.0, 2.0, 1.0])[plan["tier"].to_numpy()]
    chosen = rng.choice(n, k, replace=False, p=weight / weight.sum())
    again = rng.choice(chosen, _N_INTERVIEWS - k, replace=_N_INTERVIEWS - k > k)
    who = np.concatenate([chosen, again])
    day = as_of - rng.integers(0, 60, _N_INTERVIEWS).astype("timedelta64[D]")
    day = np.busday_offset(day.astype("datetime64[D]"), 0, roll="backward")
    order = np.lexsort((who, day))
    who, day = who[order], day[order]

    common, rare, rows = _plan_themes(rng, statements)
    allocation = _allocate(rng, statements, rows, _N_INTERVIEWS)
    respondents = people.iloc[:_N_INTERVIEWS].reset_index(drop=True)
    colleagues = people.iloc[_N_INTERVIEWS:2 * _N_INTERVIEWS].reset_index(drop=True)
    ids = _ids("INT-", _N_INTERVIEWS, 2)

    records, said, identities = [], {}, {}
    for j, (p, stmts) in enumerate(zip(who, allocation)):
        partner = partners.iloc[p]
        region = partner["region"]
        stem = partner["partner_name"].split(" ")[0]
        tlds = _TLDS[region]
        domain = _ascii(stem) + tlds[int(rng.integers(0, len(tlds)))]
        role = _RESPONDENT_ROLES[int(rng.integers(0, len(_RESPONDENT_ROLES)))]
        name, colleague = respondents.at[j, "full"], colleagues.at[j, "full"]
        email = _email(rng, respondents.at[j, "first"], respondents.at[j, "last"], domain)
        phone = _phone(rng, region)
        pick = lambda options: options[int(rng.integers(0, len(options)))]  # noqa: E731
        body = [statements.at[r, "text"] for r in stmts]
        mid = int(rng.integers(1, len(body)))
        parts = ([pick(_INTRO).format(name=name, role=role, partner=partner["partner_name"])] + body[:mid]
                 + [pick(_COLLEAGUE).format(name=colleague)] + body[mid:]
                 + [pick(_CONTACT).format(email=email, phone=phone)])
        planted = [name, colleague, email, phone]
        if rng.random() < 0.4:
            url = pick((f"https://www.{domain}/partners/joint-solution", f"https://{domain}/case-studies/northwind",
                        f"www.{domain}/alliances"))
            parts.insert(len(parts) - 1, pick(_URL).format(url=url))
            planted.append(url)
        records.append({"interview_id": ids[j], "partner_id": partner["partner_id"], "respondent_name": name,
                        "respondent_role": role, "date": str(day[j]), "text": " ".join(parts)})
        said[ids[j]] = [{"text": statements.at[r, "text"], "quadrant": statements.at[r, "quadrant"],
                         "theme": statements.at[r, "theme"]} for r in stmts]
        identities[ids[j]] = planted
    counts = pd.Series([s["theme"] for v in said.values() for s in v if s["theme"] != "other"]).value_counts()
    truth = {"interview_statements": said, "interview_identities": identities,
             "theme_respondents": {t: int(counts[t]) for t in sorted(counts.index)},
             "common_themes": common, "rare_themes": rare}
    return pd.DataFrame(records), truth


# ----------------------------------------------------------------------------------------------
# Maturity survey
# ----------------------------------------------------------------------------------------------

def _load_questionnaire(path: Path = QUESTIONNAIRE_PATH) -> dict:
    """The maturity questionnaire template (``roles`` and ``dimensions`` with their questions)."""
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _maturity_survey(rng: np.random.Generator, questionnaire: dict,
                     means: dict[str, float] | None = None) -> tuple[pd.DataFrame, dict]:
    """About 14 executives' 1-5 answers to every question of the questionnaire.

    Planted: one dimension everyone rates 4-5 (the highest mean), one where Sales and
    Marketing answer 1-2 and the CEO and CFO 4-5 (the largest gap between roles); other
    dimensions centre on 2-3 with small personal biases. A few answers are left blank
    (rows omitted), never in the two planted dimensions. ``means`` (dimension -> latent mean)
    replaces the drawn centre of those dimensions (drawn all the same, so nothing else moves).
    """
    dims = questionnaire["dimensions"]
    ids = [d["id"] for d in dims]
    high = "partner_expectations" if "partner_expectations" in ids else ids[0]
    split = "field_engagement" if "field_engagement" in ids else next(i for i in ids if i != high)
    roles = [r for r in questionnaire["roles"] for _ in range(_SURVEY_ROLES.get(r, 1))]
    respondents = _ids("R", len(roles), 2)
    questions = [(d["id"], q["id"]) for d in dims for q in d["questions"]]
    dim_mean = {d: 1.8 + 1.4 * rng.random() for d in ids}
    dim_mean.update({d: float(v) for d, v in (means or {}).items() if d in dim_mean})
    bias = rng.normal(0.0, 0.3, len(roles))

    r_idx = np.repeat(np.arange(len(roles)), len(questions))
    q_idx = np.tile(np.arange(len(questions)), len(roles))
    dim = np.array([questions[q][0] for q in q_idx], dtype=object)
    role = np.array(roles, dtype=object)[r_idx]
    base = np.array([dim_mean[d] for d in dim]) + bias[r_idx] + rng.normal(0.0, 0.6, len(r_idx))
    score = np.clip(np.rint(base), 1, 4).astype(np.int64)
    score = np.where(dim == high, rng.choice([4, 5], len(r_idx), p=[0.4, 0.6]), score)
    low_role = np.isin(role, _SURVEY_LOW_ROLES)
    high_role = np.isin(role, _SURVEY_HIGH_ROLES)
    split_score = np.where(low_role, rng.integers(1, 3, len(r_idx)),
                           np.where(high_role, rng.integers(4, 6, len(r_idx)), rng.integers(2, 5, len(r_idx))))
    score = np.where(dim == split, split_score, score)
    frame = pd.DataFrame({"respondent_id": respondents[r_idx], "role": role,
                          "question_id": np.array([questions[q][1] for q in q_idx], dtype=object), "score": score})
    eligible = np.flatnonzero((dim != high) & (dim != split))
    skip = np.sort(rng.choice(eligible, min(_N_SKIPPED_ANSWERS, len(eligible)), replace=False))
    skipped = [(frame.at[i, "respondent_id"], frame.at[i, "question_id"]) for i in skip]
    frame = frame.drop(index=skip).reset_index(drop=True)
    return frame, {"maturity_high_dimension": high, "maturity_split_dimension": split, "maturity_skipped": skipped}


# ----------------------------------------------------------------------------------------------
# Candidates and macro
# ----------------------------------------------------------------------------------------------

def _candidates(rng: np.random.Generator, partners: pd.DataFrame, plan: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """About 12 candidate partners with 1-5 criterion scores.

    Planted: two candidates with the same type, region and offering as an existing strong
    partner (attractive scores but low complementary capabilities: the overlap check must
    catch them), one clear best candidate, and the others strictly below it. Non-overlapping
    candidates use type/region/offering combinations no partner has.
    """
    combos = set(zip(partners["partner_type"], partners["region"], partners["offering"]))
    strong = np.flatnonzero(plan["group"].to_numpy() == 0)
    pool = strong if len(strong) >= 2 else np.arange(len(partners))
    twins: list[int] = []
    for p in rng.permutation(pool):
        key = tuple(partners.iloc[p][["partner_type", "region", "offering"]])
        if all(key != tuple(partners.iloc[q][["partner_type", "region", "offering"]]) for q in twins):
            twins.append(int(p))
        if len(twins) == 2:
            break
    universe = sorted((t, r, o) for t in PARTNER_TYPES for r in REGIONS for o in OFFERINGS[t] + _NEW_OFFERINGS
                      if (t, r, o) not in combos)
    fresh = [universe[i] for i in rng.choice(len(universe), _N_CANDIDATES - len(twins), replace=False)]
    keys = [tuple(partners.iloc[p][["partner_type", "region", "offering"]]) for p in twins] + fresh
    scores = rng.integers(1, 5, (len(keys), len(_CRITERIA)))
    for i in range(len(twins)):
        scores[i] = [5, int(rng.integers(4, 6)), 2, 4, 5]
    best = len(twins)
    scores[best] = [5, 5, 5, 4, 4]
    order = rng.permutation(len(keys))
    cand_ids = _ids("C", len(keys), 2)
    position = np.empty(len(keys), dtype=np.int64)
    position[order] = np.arange(len(keys))
    names = _company_names(rng, np.array([k[0] for k in keys], dtype=object),
                           np.array([k[1] for k in keys], dtype=object), set(partners["partner_name"]))
    frame = pd.DataFrame({"candidate_id": cand_ids[position], "candidate_name": names,
                          "partner_type": [k[0] for k in keys], "region": [k[1] for k in keys],
                          "offering": [k[2] for k in keys]})
    for j, criterion in enumerate(_CRITERIA):
        frame[criterion] = scores[:, j]
    truth = {"overlapping_candidates": {str(cand_ids[position[i]]): str(partners.iloc[p]["partner_id"])
                                        for i, p in enumerate(twins)},
             "best_candidate": str(cand_ids[position[best]])}
    return frame.sort_values("candidate_id", kind="stable").reset_index(drop=True), truth


def _macro(rng: np.random.Generator, years: Sequence[int]) -> pd.DataFrame:
    """IT-spend and GDP growth per region and year: each region's usual level plus yearly noise."""
    rows = [(r, y) for r in REGIONS for y in years]
    it = np.array([_IT_SPEND[r] for r, _ in rows]) + rng.normal(0.0, 0.01, len(rows))
    gdp = np.array([_GDP[r] for r, _ in rows]) + rng.normal(0.0, 0.005, len(rows))
    return pd.DataFrame({"region": [r for r, _ in rows], "year": [y for _, y in rows],
                         "it_spend_growth": np.round(it, 4), "gdp_growth": np.round(gdp, 4)})


# ----------------------------------------------------------------------------------------------
# Hiring scores
# ----------------------------------------------------------------------------------------------

def _load_interview_guide(path: Path = INTERVIEW_GUIDE_PATH) -> dict:
    """The interview guide template: per role id, its competencies with ``required`` level and ``weight``."""
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _candidate_scores(rng: np.random.Generator, kind: str, competencies: dict[str, dict], split: str,
                      gap: str) -> dict[str, np.ndarray]:
    """Each interviewer's 1-5 score per competency for a candidate of ``kind``.

    Around each competency's required level r, interviewers at most 1 point apart:
    ``best`` r or r + 1 (meets every required level); ``gap`` mostly r, never above, but r - 2
    or r - 3 on ``gap``; ``average`` mostly r - 1, never above r, and r - 1 from everyone on
    the first competency of the highest weight; ``split`` the same, except three scores
    spanning 3 points on ``split``. So every other candidate's mean score per competency is at
    most r, and below r on one: the best candidate's weighted score is the highest.
    """
    anchor = max(competencies, key=lambda c: competencies[c]["weight"])
    out = {}
    for comp, spec in competencies.items():
        r = int(spec["required"])
        up = (rng.random(_HIRING_PANEL) < {"best": 0.4, "gap": 0.65}.get(kind, 0.35)).astype(np.int64)
        if kind == "best":
            scores = r + up
        elif kind == "split" and comp == split:
            low = int(rng.integers(1, 3))
            scores = rng.permutation([low, low + 3, int(rng.integers(low + 1, low + 3))])
        elif kind == "gap" and comp == gap:
            scores = r - 3 + up
        elif kind == "average" and comp == anchor:
            scores = np.full(_HIRING_PANEL, r - 1)
        else:
            scores = r - 1 + up
        out[comp] = np.clip(scores, 1, 5).astype(np.int64)
    return out


def _note(rng: np.random.Generator, competency: str, score: int) -> str:
    """A short interviewer note on one score: what the answer showed, in a word of judgement."""
    strong, weak = _NOTE_EVIDENCE.get(competency, ("a relevant, recent example", "no relevant example"))
    options = _NOTE_BY_SCORE[int(score)]
    return options[int(rng.integers(0, len(options)))].format(strong=strong, weak=weak)


def _hiring_scores(rng: np.random.Generator, guide: dict, taken: set[str] = frozenset()) -> tuple[pd.DataFrame, dict]:
    """Interview panels' 1-5 scores for candidates to two positions (:data:`_HIRING_POSITIONS`).

    Per position, three interviewers (fictional names, none of the sample's other people) score
    every competency of the position (the interview guide's) for every candidate, mostly with a
    short note. Planted per position, in random candidate order: one best candidate (every
    score at or above the required level, so the highest weighted score), one the interviewers
    split on (3 points between the lowest and the highest score on one important competency
    of required level 4 or more, otherwise around the required level less one), one with a
    critical gap (a weight-3 competency 2 or more below required), and ordinary candidates.
    Interviewers of every other candidate and competency are at most 1 point apart.
    """
    def names(r: np.random.Generator, idx: np.ndarray) -> list[str]:
        first, last = r.integers(0, len(_FIRST), len(idx)), r.integers(0, len(_LAST), len(idx))
        return [f"{_FIRST[a]} {_LAST[b]}" for a, b in zip(first, last)]

    people = _unique_draws(rng, _HIRING_PANEL * len(_HIRING_POSITIONS), names, set(taken))
    rows: list[dict] = []
    truth: dict[str, dict[str, str]] = {"best_candidates": {}, "split_candidates": {}, "split_competency": {},
                                        "critical_gaps": {}}
    first = 1
    for k, (position, n) in enumerate(_HIRING_POSITIONS.items()):
        competencies = {str(c): spec for c, spec in guide[position]["competencies"].items()}
        top = max(int(s["weight"]) for s in competencies.values())
        splittable = [c for c, s in competencies.items() if int(s["weight"]) >= 2 and int(s["required"]) >= 4] \
            or [max(competencies, key=lambda c: int(competencies[c]["required"]))]
        split = splittable[int(rng.integers(0, len(splittable)))]
        critical = [c for c, s in competencies.items() if int(s["weight"]) == top]
        gap = critical[int(rng.integers(0, len(critical)))]
        kinds = np.array(["best", "split", "gap"] + ["average"] * (n - 3), dtype=object)[rng.permutation(n)]
        panel = sorted(people[k * _HIRING_PANEL:(k + 1) * _HIRING_PANEL])
        for j, kind in enumerate(kinds):
            cid = f"H{first + j:02d}"
            if kind == "best":
                truth["best_candidates"][position] = cid
            elif kind == "split":
                truth["split_candidates"][position], truth["split_competency"][cid] = cid, split
            elif kind == "gap":
                truth["critical_gaps"][cid] = gap
            scores = _candidate_scores(rng, kind, competencies, split, gap)
            for i, interviewer in enumerate(panel):
                for comp in competencies:
                    planted = (kind == "split" and comp == split) or (kind == "gap" and comp == gap)
                    blank = not planted and rng.random() < _HIRING_BLANK_NOTES
                    score = int(scores[comp][i])
                    rows.append({"candidate_id": cid, "position": position, "interviewer": interviewer,
                                 "competency": comp, "score": score, "notes": "" if blank else _note(rng, comp, score)})
        first += n
    columns = ["candidate_id", "position", "interviewer", "competency", "score", "notes"]
    return pd.DataFrame(rows, columns=columns), truth


# ----------------------------------------------------------------------------------------------
# Alliance health survey
# ----------------------------------------------------------------------------------------------

def _load_statement_bank(path: Path = HEALTH_BANK_PATH) -> pd.DataFrame:
    """The health survey's statements in the bank's order: ``statement_id``, ``dimension`` and
    ``mind_share`` (true for the statements of the field-engagement dimension). Read as plain
    YAML: the phase's ``relationship_health.bank.load_bank`` checks the file (its tests)."""
    with open(path, encoding="utf-8") as handle:
        bank = yaml.safe_load(handle)
    rows = [{"statement_id": str(s["id"]), "dimension": str(d["id"]), "mind_share": bool(d.get("mind_share", False))}
            for d in bank["dimensions"] for s in d["statements"]]
    return pd.DataFrame(rows, columns=["statement_id", "dimension", "mind_share"])


def _health_panel(rng: np.random.Generator) -> list[str]:
    """The functions of one side's 7-10 respondents to one wave: 5-6 in the field (sales,
    presales, support: enough for the mind-share figure), 1-2 in marketing, an alliance
    manager, and up to two of executive, delivery and other (small groups, pooled by the phase)."""
    field_ = ["sales", "sales", "presales", "support"]
    field_ += [_HEALTH_FIELD[int(i)] for i in rng.integers(0, len(_HEALTH_FIELD), 1 + int(rng.random() < 0.5))]
    panel = field_ + ["marketing"] * int(rng.integers(1, 3)) + ["alliances"]
    few = ["executive", "delivery", "other"]
    n_few = int(rng.integers(0, min(2, _HEALTH_PANEL_MAX - len(panel)) + 1))
    return panel + [few[i] for i in sorted(rng.choice(len(few), n_few, replace=False))]


def _health_comment(rng: np.random.Generator, dimension: str, critical: bool, name: str, email: str
                    ) -> tuple[str, list[str]]:
    """A short comment on ``dimension`` (critical or appreciative), sometimes naming someone;
    returns it and the identities it holds."""
    pick = lambda options: options[int(rng.integers(0, len(options)))]  # noqa: E731
    text = pick(_HEALTH_COMMENTS.get(dimension, _HEALTH_GENERIC)[0 if critical else 1])
    if rng.random() >= _HEALTH_NAMED:
        return text, []
    naming = pick(_HEALTH_NAMING[0 if critical else 1])
    planted = [x for key, x in (("{name}", name), ("{email}", email)) if key in naming]
    return f"{text} {naming.format(name=name, email=email)}", planted


def generate_health_survey(rng: np.random.Generator, partners: pd.DataFrame, bank_statements: pd.DataFrame,
                           end_month: str = "2026-09", n_alliances: int = _HEALTH_ALLIANCES,
                           taken: set[str] = frozenset()) -> tuple[pd.DataFrame, dict]:
    """The two-sided alliance health survey (``health_survey``) of the largest partners, and what was planted.

    ``n_alliances`` partners with the highest annual target (all of them when fewer) are
    surveyed in two waves, ``end_month`` and six months before. Per alliance, side and wave 7-10
    people (:func:`_health_panel`) answer every statement of ``bank_statements`` (columns
    ``statement_id``, ``dimension``, ``mind_share``: :func:`_load_statement_bank`) with 1-5,
    about 7% blank (no basis to judge); about 80% give a 0-10 recommendation (on each of their
    rows), about 20% leave a comment on one row, some of which name a person or give an e-mail
    address (``taken``: names not to use). Respondent ids (``R-00001``) are anonymous: new each
    wave, shuffled.

    Scores are a latent mean per alliance, side, wave and dimension, plus the respondent's
    leniency and an answer's noise (about 0.7 in all), rounded and clipped to 1-5. Planted:
    every dimension near 3.6 (small offsets), conflict resolution and joint planning 0.6 lower
    everywhere (the weakest portfolio-wide); three alliances where the sides are 2.0 apart on
    one dimension in both waves (:data:`_HEALTH_GAPS`: one where ``us`` rates higher, one the
    other way, a third; the lower side 1.4 below the portfolio, the higher 0.6 above, away from
    the ceiling of 5); one alliance whose partner's field people (sales, presales, support)
    rate field engagement 1.8 higher in the second wave than in the first (0.9 below the
    portfolio, then 0.9 above); the other alliances the same latent means on both sides and in
    both waves, up to 0.15 from the portfolio's.
    """
    statements = bank_statements.reset_index(drop=True)
    dimensions = list(dict.fromkeys(statements["dimension"]))
    end = pd.Period(end_month, freq="M")
    waves = ((end - _HEALTH_WAVE_MONTHS).strftime("%Y-%m"), end.strftime("%Y-%m"))
    k = min(n_alliances, len(partners))
    order = np.lexsort((partners["partner_id"].to_numpy(), -partners["annual_target"].to_numpy(dtype=float)))
    surveyed = partners.iloc[np.sort(order[:k])].reset_index(drop=True)

    weakest = tuple(d for d in _HEALTH_WEAKEST if d in dimensions)
    offset = {d: _HEALTH_WEAKEST.get(d, rng.uniform(*_HEALTH_DIMENSION_SPREAD)) for d in dimensions}
    flagged = statements.loc[statements.get("mind_share", pd.Series(False, index=statements.index)).astype(bool),
                             "dimension"]
    mind_share = flagged.iloc[0] if len(flagged) else (_HEALTH_MIND_SHARE if _HEALTH_MIND_SHARE in dimensions else None)
    free = [d for d in dimensions if d not in weakest and d != mind_share]
    gap_dims: list[tuple[str, int]] = []
    for dimension, sign in _HEALTH_GAPS:  # the named dimension, or the next one free in the bank
        chosen = dimension if dimension in free else next(d for d in free if d not in {g for g, _ in gap_dims})
        free.remove(chosen)
        gap_dims.append((chosen, sign))
    planted = rng.permutation(k)
    n_gaps = min(len(gap_dims), max(k - 2, 0))
    gaps = {int(planted[j]): gap_dims[j] for j in range(n_gaps)}
    riser = int(planted[n_gaps]) if mind_share and k > n_gaps + 1 else None
    local = rng.uniform(-_HEALTH_ALLIANCE_NOISE, _HEALTH_ALLIANCE_NOISE, (k, len(dimensions)))

    # two people per possible respondent (at most 10 per side): the commenter and whom they name
    people = _unique_draws(rng, 2 * 2 * 10 * k * len(waves), lambda r, idx: [
        f"{_FIRST[a]} {_LAST[b]}" for a, b in zip(r.integers(0, len(_FIRST), len(idx)),
                                                  r.integers(0, len(_LAST), len(idx)))], set(taken))
    domains = [_ascii(name.split(" ")[0]) + _TLDS[region][int(u * len(_TLDS[region]))]
               for name, region, u in zip(surveyed["partner_name"], surveyed["region"], rng.random(k))]

    dim_of = statements["dimension"].to_numpy()
    ids = statements["statement_id"].to_numpy()
    blocks, identities = [], []
    for w, wave in enumerate(waves):
        for a in range(k):
            for s_, side in enumerate(("us", "partner")):
                mean = {d: _HEALTH_BASE + offset[d] + local[a, j] for j, d in enumerate(dimensions)}
                if a in gaps:
                    dimension, sign = gaps[a]
                    mean[dimension] += _HEALTH_GAP[0] if (side == "us") == (sign > 0) else _HEALTH_GAP[1]
                for function in _health_panel(rng):
                    latent = np.array([mean[d] for d in dim_of])
                    if a == riser and side == "partner" and function in _HEALTH_FIELD:
                        latent = latent + np.where(dim_of == mind_share, _HEALTH_RISE[w], 0.0)
                    raw = latent + rng.normal(0.0, _HEALTH_BIAS) + rng.normal(0.0, _HEALTH_NOISE, len(latent))
                    score = pd.array(np.clip(np.rint(raw), 1, 5).astype(np.int64), dtype="Int64")
                    score[rng.random(len(latent)) < _HEALTH_BLANK] = pd.NA
                    recommend = pd.NA
                    if rng.random() < _HEALTH_RECOMMEND:
                        lean = float(np.mean(raw))
                        recommend = int(np.clip(np.rint(2.4 * lean - 1.8 + rng.normal(0.0, 1.0)), 0, 10))
                    comment = np.full(len(score), "", dtype=object)
                    if rng.random() < _HEALTH_COMMENT and not score.isna().all():
                        values = score.to_numpy(dtype=float, na_value=np.nan)
                        critical = np.nanmean(values) < _HEALTH_BASE
                        extreme = np.nanmin(values) if critical else np.nanmax(values)
                        row = int(rng.choice(np.flatnonzero(values == extreme)))  # on a statement they rated so
                        first, last = people[2 * len(blocks)].split(" ", 1)
                        email = _email(rng, first, last, _HEALTH_US_DOMAIN if side == "us" else domains[a])
                        comment[row], named = _health_comment(rng, dim_of[row], critical,
                                                              people[2 * len(blocks) + 1], email)
                        identities += named
                    blocks.append(pd.DataFrame({
                        "respondent_id": len(blocks), "partner_id": surveyed.at[a, "partner_id"], "side": side,
                        "function": function, "wave": wave,
                        "statement_id": ids, "score": score,
                        "recommend": pd.array([recommend] * len(score), dtype="Int64"), "comment": comment}))
    frame = pd.concat(blocks, ignore_index=True)
    codes = _ids("R-", len(blocks), 5)[rng.permutation(len(blocks))]  # anonymous: the order tells nothing
    frame["respondent_id"] = codes[frame["respondent_id"].to_numpy()]
    truth = {"health_waves": waves, "health_alliances": surveyed["partner_id"].tolist(),
             "health_gaps": {surveyed.at[a, "partner_id"]: gaps[a] for a in sorted(gaps)},
             "mind_share_rise": "" if riser is None else surveyed.at[riser, "partner_id"],
             "weakest_dimensions": weakest, "health_identities": list(dict.fromkeys(identities))}
    return frame, truth


# ----------------------------------------------------------------------------------------------
# Public API
# ----------------------------------------------------------------------------------------------

def _check_arguments(n_partners: int, months: int, leading: dict[str, int]) -> None:
    """Reject sizes and plants the generator cannot honour, with a clear message."""
    if n_partners < 8:
        raise ValueError(f"n_partners must be at least 8 (two per planted group); got {n_partners}")
    if months < 12:
        raise ValueError(f"months must be at least 12; got {months}")
    for name, lag in leading.items():
        if name in _RESERVED:
            raise ValueError(f"'{name}' cannot be planted as a leading indicator")
        if not isinstance(lag, (int, np.integer)) or not 1 <= lag <= months - 6:
            raise ValueError(f"lag of '{name}' must be a whole number of months from 1 to {months - 6}; got {lag!r}")


def _group_overrides(partner_ids: np.ndarray, groups: dict[str, str] | None) -> dict[int, int]:
    """``groups`` (partner_id -> group name) as positions -> indices in :data:`GROUPS`; unknown ids or
    group names are rejected with a clear message."""
    position = {p: k for k, p in enumerate(partner_ids)}
    out = {}
    for pid, name in (groups or {}).items():
        if pid not in position:
            raise ValueError(f"groups: no partner '{pid}' (ids {partner_ids[0]}..{partner_ids[-1]})")
        if name not in GROUPS:
            raise ValueError(f"groups: '{name}' for {pid} is not one of {', '.join(GROUPS)}")
        out[position[pid]] = GROUPS.index(name)
    return out


def _keep_people(people: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """``people`` with its first rows named ``names`` (first and last name split as
    :func:`_person_names` does); refused when a name would then be used twice."""
    kept = pd.DataFrame({"first": [n.split(" ")[0] for n in names], "last": [n.split(" ")[-1] for n in names],
                         "full": list(names)})
    out = pd.concat([kept, people.iloc[len(kept):]], ignore_index=True)
    if out["full"].duplicated().any():
        raise ValueError("staff_and_sponsors: a kept name is also drawn for an interviewee; use another seed")
    return out


def _reshape_portfolio(seed: int, plan: pd.DataFrame, partner_ids: np.ndarray, names: np.ndarray,
                       metrics: pd.DataFrame, revenue: np.ndarray, leave_out: Sequence[str],
                       extra_groups: Sequence[str], months: int, window_start: np.datetime64,
                       month_index: pd.PeriodIndex, leading: dict[str, int]):
    """The portfolio without the partners ``leave_out`` and with one partner more per ``extra_groups``.

    Extra partners take the ids after the last one (``P061``, ``P062`` after 60) and are drawn
    from their own generator (seed + :data:`_EXTRA_SEED_OFFSET`): their drivers as the first
    rows of a plan as large as the portfolio (so their tier is ranked among as many partners),
    names no other partner has, their monthly metrics. Returns plan, ids, names, metrics and
    revenue of the new portfolio, the extra partners last.
    """
    unknown = sorted(set(leave_out) - set(partner_ids))
    if unknown:
        raise ValueError(f"leave_out: no partner {', '.join(unknown)}")
    bad = [g for g in extra_groups if g not in GROUPS]
    if bad:
        raise ValueError(f"extra_groups: {', '.join(bad)} not one of {', '.join(GROUPS)}")
    keep = ~np.isin(partner_ids, list(leave_out))
    n, k = len(plan), len(extra_groups)
    rng = np.random.default_rng(seed + _EXTRA_SEED_OFFSET)
    extra = _partner_plan(rng, max(n, k), months, window_start,
                          {j: GROUPS.index(g) for j, g in enumerate(extra_groups)}).iloc[:k]
    extra_ids = _ids("P", n + k, 3)[n:]
    extra_names = _company_names(rng, extra["partner_type"].to_numpy(), extra["region"].to_numpy(), set(names))
    extra_metrics, extra_revenue = _partner_metrics(rng, extra.reset_index(drop=True), extra_ids, month_index, leading)
    metrics = pd.concat([metrics[metrics["partner_id"].isin(partner_ids[keep])], extra_metrics], ignore_index=True)
    return (pd.concat([plan[keep], extra], ignore_index=True), np.concatenate([partner_ids[keep], extra_ids]),
            np.concatenate([names[keep], extra_names]), metrics, np.vstack([revenue[keep], extra_revenue]))


def generate_tables(seed: int = 7, n_partners: int = 60, months: int = 36, end_month: str = "2026-09",
                    leading: dict[str, int] | None = None, *, groups: dict[str, str] | None = None,
                    leave_out: Sequence[str] = (), extra_groups: Sequence[str] = (),
                    maturity_means: dict[str, float] | None = None,
                    staff_and_sponsors: Sequence[str] = ()) -> tuple[dict[str, pd.DataFrame], SampleTruth]:
    """All input tables in memory and what was planted in them.

    Keys: partners, partner_metrics, opportunities, interviews, maturity_survey, staff,
    hiring_scores, candidates, macro, health_survey (columns as in README, "Input files", plus extras such as
    ``offering``). ``leading`` maps indicator columns to planted lags (default :data:`DEFAULT_LEADING`); names that are
    not standard columns are added to ``partner_metrics``.

    For another year of the same client (:func:`previous_year`); the defaults change nothing:
    ``groups`` (partner_id -> group) sets those partners' groups before anything is drawn from
    them; ``leave_out`` (partner_ids) and ``extra_groups`` (one new partner per group named,
    ids after ``n_partners``, drawn from their own generator) reshape the portfolio after its
    monthly metrics, so partner names, staff and sponsor names stay those of the same seed;
    ``maturity_means`` (dimension -> latent mean) centres those survey dimensions there;
    ``staff_and_sponsors`` (another year's :attr:`SampleTruth.staff_and_sponsors`) names the
    staff and executive sponsors as that year did.
    """
    leading = dict(DEFAULT_LEADING if leading is None else leading)
    _check_arguments(n_partners, months, leading)
    rng = np.random.default_rng(seed)
    month_index = pd.period_range(end=pd.Period(end_month, freq="M"), periods=months, freq="M")
    window_start = np.datetime64(month_index[0].start_time.date(), "D")
    as_of = np.datetime64(month_index[-1].end_time.date(), "D")

    partner_ids = _ids("P", n_partners, 3)
    plan = _partner_plan(rng, n_partners, months, window_start, _group_overrides(partner_ids, groups))
    names = _company_names(rng, plan["partner_type"].to_numpy(), plan["region"].to_numpy())
    metrics, revenue = _partner_metrics(rng, plan, partner_ids, month_index, leading)
    if len(leave_out) or len(extra_groups):
        plan, partner_ids, names, metrics, revenue = _reshape_portfolio(
            seed, plan, partner_ids, names, metrics, revenue, leave_out, extra_groups, months, window_start,
            month_index, leading)
    n = len(plan)
    n_sponsors = max(6, math.ceil(n / 20))
    n_staff = sum(_staff_counts(n).values())
    people = _person_names(rng, n_staff + n_sponsors + 2 * _N_INTERVIEWS)
    if len(staff_and_sponsors):
        people = _keep_people(people, staff_and_sponsors)
    staff, overloaded, uncovered = _staff(rng, plan, partner_ids, people.iloc[:n_staff])

    sponsors = people["full"].to_numpy()[n_staff:n_staff + n_sponsors]
    sponsor = sponsors[rng.integers(0, n_sponsors, n)].astype(object)
    platinum = np.flatnonzero(plan["tier"].to_numpy() == 0)
    n_missing = min(len(platinum) - 1, max(2, round(0.3 * len(platinum))))
    missing = np.sort(rng.choice(platinum, max(n_missing, 0), replace=False))
    sponsor[missing] = ""
    ttm = revenue[:, -12:].sum(axis=1)
    uplift = _PROFILE["target_uplift"][plan["group"].to_numpy()] * rng.lognormal(0.0, 0.05, n)
    partners = pd.DataFrame({
        "partner_id": partner_ids, "partner_name": names, "partner_type": plan["partner_type"].to_numpy(),
        "tier": np.array(TIERS, dtype=object)[plan["tier"].to_numpy()], "region": plan["region"].to_numpy(),
        "start_date": _dates(plan["start"].to_numpy()), "alliance_manager": _manager_names(staff, partner_ids),
        "exec_sponsor": sponsor, "annual_target": np.maximum(5_000.0, np.round(ttm * uplift, -3)),
        "offering": plan["offering"].to_numpy(),
    })

    opportunities = _opportunities(rng, plan, partner_ids, window_start, as_of, months)
    interviews, interview_truth = _interviews(rng, partners, plan, people.iloc[n_staff + n_sponsors:].reset_index(drop=True),
                                              _load_statements(), as_of)
    survey, survey_truth = _maturity_survey(rng, _load_questionnaire(), maturity_means)
    candidates, candidate_truth = _candidates(rng, partners, plan)
    macro = _macro(rng, range(int(month_index[0].year), int(month_index[-1].year) + 1))
    direct = _direct_deals(np.random.default_rng(seed + _DIRECT_SEED_OFFSET), len(opportunities), window_start, as_of)
    opportunities = pd.concat([opportunities, direct], ignore_index=True)
    # last, and without random draws: who covers which partner changes no other value
    results = _partner_results(revenue, partners, opportunities)
    staff, stars_manager, mix_manager = _plant_fair_comparison(staff, partner_ids, plan["group"].to_numpy(),
                                                               plan["tier"].to_numpy(), results, overloaded)
    partners["alliance_manager"] = _manager_names(staff, partner_ids)
    hiring, hiring_truth = _hiring_scores(np.random.default_rng(seed + _HIRING_SEED_OFFSET), _load_interview_guide(),
                                          set(people["full"]))

    health, health_truth = generate_health_survey(
        np.random.default_rng(seed + _HEALTH_SEED_OFFSET), partners, _load_statement_bank(),
        end_month=month_index[-1].strftime("%Y-%m"), taken=set(people["full"]) | set(hiring["interviewer"]))

    tables = {"partners": partners, "partner_metrics": metrics, "opportunities": opportunities,
              "interviews": interviews, "maturity_survey": survey, "staff": staff, "hiring_scores": hiring,
              "candidates": candidates, "macro": macro, "health_survey": health}
    truth = SampleTruth(
        segments=dict(zip(partner_ids.tolist(), np.array(GROUPS, dtype=object)[plan["group"].to_numpy()].tolist())),
        leading_lags={k: int(v) for k, v in leading.items()},
        decoys={k: v for k, v in DECOYS.items() if k not in leading},
        overloaded_staff=[overloaded],
        uncovered_partners=partner_ids[uncovered].tolist(),
        coincident=[c for c in COINCIDENT if c not in leading],
        unrelated=["joint_campaigns"] + [k for k in DEFAULT_LEADING if k not in leading],
        missing_sponsor=partner_ids[missing].tolist(),
        direct_deals=direct["opportunity_id"].tolist(),
        inherited_stars_manager=stars_manager, beats_mix_manager=mix_manager,
        staff_and_sponsors=people["full"].iloc[:n_staff + n_sponsors].tolist(),
        **candidate_truth, **survey_truth, **interview_truth, **hiring_truth, **health_truth,
    )
    return tables, truth


#: Decimals written per table for float columns (money to the cent; growth rates to 0.01%).
_DECIMALS = {"macro": 4}


def write_tables(tables: dict[str, pd.DataFrame], data_dir: str | Path) -> None:
    """Write each table as ``data_dir/<name>.csv``: UTF-8, ``\\n`` line ends, fixed decimals."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(data_dir / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8",
                     float_format=f"%.{_DECIMALS.get(name, 2)}f")


#: Who signs the sample's reports, and the currency of its amounts (a fictional firm).
SAMPLE_FIRM = "Larkspur Alliance Advisory"
SAMPLE_CURRENCY = "USD"


def engagement_file(tables: Sequence[str], phases: Sequence[str], client: str, engagement: str,
                    consultant: str) -> dict:
    """The engagement file's content for an engagement whose data lives in ``data/<name>.csv``."""
    return {"engagement": engagement, "client": client, "consultant": consultant, "firm": SAMPLE_FIRM,
            "currency": SAMPLE_CURRENCY,
            "data": {name: f"data/{name}.csv" for name in tables},
            "phases": {phase: {} for phase in phases},
            "branding": {"primary_color": "#0B3D91"}}


#: The phases the sample engagement runs (``make demo``): every finished phase.
SAMPLE_PHASES = ("strategy_assessment", "metric_design", "partner_swot", "org_design", "portfolio_health",
                 "ecosystem_reporting", "relationship_health", "alliance_staff")


def write_engagement(out_dir, seed: int = 7, n_partners: int = 60, months: int = 36,
                     phases: Sequence[str] = SAMPLE_PHASES, client: str = "Northwind Systems",
                     engagement: str = "northwind-2026", consultant: str = "Jane Doe") -> SampleTruth:
    """Write ``out_dir/engagement.yml`` and ``out_dir/data/<name>.csv`` for every table.

    Same arguments, same bytes. Returns what was planted.
    """
    out_dir = Path(out_dir)
    tables, truth = generate_tables(seed=seed, n_partners=n_partners, months=months)
    write_tables(tables, out_dir / "data")
    text = yaml.safe_dump(engagement_file(list(tables), phases, client, engagement, consultant),
                          sort_keys=False, allow_unicode=True)
    (out_dir / "engagement.yml").write_text(text, encoding="utf-8", newline="\n")
    return truth


# ----------------------------------------------------------------------------------------------
# The same engagement as the client exports it
# ----------------------------------------------------------------------------------------------

#: The exports engagement's id: its own output folder beside the clean sample's.
EXPORTS_ENGAGEMENT = "northwind-2026-exports"
#: Created and modified date of every workbook and document written, and the time stamp of
#: their zip members: the same arguments give the same bytes.
EXPORT_TIME = datetime.datetime(2026, 10, 1, 7, 0, 0)
#: Added to the seed for how the exports are written (which dates are text, e-mail addresses,
#: form time stamps, which interviews are Word documents; one generator per file, + 0, 1, 2);
#: never touches the data itself.
_EXPORT_SEED_OFFSET = 2000
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")
#: How the partner directory writes the kit's partner types (common client names; the
#: validator reads them as the kit's, with a data note).
CLIENT_PARTNER_TYPES = {"ISV": "ISV", "GSI": "Systems Integrator", "cloud": "Cloud Provider",
                         "IHV": "Hardware Vendor", "reseller": "Value Added Reseller",
                         "distributor": "Distributor", "OEM": "OEM", "other": "Other"}
#: The partner directory's headers (a PRM export) for the kit's partner columns. ``offering``
#: keeps the kit's name: a mapping cannot name it (the kit's mapping knows only declared columns).
_PARTNER_HEADERS = {"partner_id": "Account ID", "partner_name": "Account Name", "partner_type": "Partner Type",
                    "tier": "Partner Tier", "region": "Region", "start_date": "Partner Since",
                    "alliance_manager": "Alliance Manager", "exec_sponsor": "Executive Sponsor",
                    "annual_target": "Annual Target (USD)", "offering": "offering"}
#: The opportunity report's headers (a Salesforce-like report) for the kit's columns.
_OPPORTUNITY_HEADERS = {"opportunity_id": "Opportunity ID", "partner_ids": "Partner Accounts", "amount": "Amount",
                        "stage": "Stage", "created": "Created Date", "closed": "Close Date",
                        "attribution": "Partner Role"}
_OPPORTUNITY_TITLE = ("Partner Opportunity Pipeline", "Northwind Systems - all stages, created in the last 36 months")
_OUTCOMES = {"won": ["Closed Won"], "lost": ["Closed Lost"]}
_US_DATE = "%m/%d/%Y"
#: The forms export: its fixed columns and the answer it gives for no basis to judge.
_FORM_TIMESTAMP, _FORM_EMAIL = "Timestamp", "Email Address"
_FORM_RESPONDENT = "Respondent code (from your invitation)"
_FORM_ROLE = "Which function do you lead or represent?"
_FORM_NO_BASIS = "Not applicable"
_AGREEMENT_LABELS = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
_INTERVIEW_DATE = "%d %B %Y"


def _interview_date(iso: str) -> str:
    """``2026-09-04`` as ``04 September 2026`` (English month names whatever the locale)."""
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{day:02d} {_MONTH_NAMES[month - 1]} {year}"


def _us_date(iso: str) -> str:
    """``2026-03-14`` as ``03/14/2026``."""
    year, month, day = iso.split("-")
    return f"{month}/{day}/{year}"


def _dollars(value: float) -> str:
    """``1234.5`` as ``$1,234.50``."""
    return f"${value:,.2f}"


def _stable_zip(data: bytes) -> bytes:
    """The zip package ``data`` (.xlsx, .docx) rewritten with every member's time stamp and
    system fixed, members in the same order: zipfile stamps members with the current time."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=EXPORT_TIME.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.create_system = 0
            member.external_attr = 0
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def _save_workbook(book, path: Path) -> None:
    """Save an openpyxl workbook with fixed document properties and zip time stamps."""
    from openpyxl.writer.excel import ExcelWriter  # save() would stamp 'modified' with the current time

    book.properties.creator = "Northwind Systems"
    book.properties.lastModifiedBy = "Northwind Systems"
    book.properties.created = book.properties.modified = EXPORT_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_stable_zip(buffer.getvalue()))


def _cell_date(iso: str) -> datetime.datetime:
    return datetime.datetime.strptime(iso, "%Y-%m-%d")


def _partner_directory(partners: pd.DataFrame, path: Path) -> dict:
    """The partners as a PRM's partner directory (.xlsx): client headers, client partner types,
    Excel date cells, targets as currency-formatted numbers. Returns the engagement file's mapping."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Partners"
    sheet.append([_PARTNER_HEADERS[c] for c in _PARTNER_HEADERS])
    for record in partners[list(_PARTNER_HEADERS)].to_dict("records"):
        row = []
        for column, value in record.items():
            if column == "partner_type":
                value = CLIENT_PARTNER_TYPES[value]
            elif column == "start_date":
                value = _cell_date(value)
            elif column == "annual_target":
                value = float(value)
            row.append(value if value != "" else None)
        sheet.append(row)
    start, target = (list(_PARTNER_HEADERS).index(c) + 1 for c in ("start_date", "annual_target"))
    for cells in sheet.iter_rows(min_row=2):
        cells[start - 1].number_format = "mm/dd/yyyy"
        cells[target - 1].number_format = '"$"#,##0'
    _save_workbook(book, path)
    return {"path": f"exports/{path.name}", "sheet": "Partners",
            "columns": {k: v for k, v in _PARTNER_HEADERS.items() if k != v}, "tier_order": list(TIERS)}


def _opportunity_report(rng: np.random.Generator, opportunities: pd.DataFrame, names: dict[str, str],
                        path: Path) -> dict:
    """The opportunities as a CRM report (.xlsx): title rows above the header, partners by name
    (``, `` between several), amounts as ``$1,234.50``, US dates (some Excel date cells, some
    text), ``Closed Won``/``Closed Lost`` for the outcome (no won column), attribution capitalised.
    Returns the engagement file's mapping."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Opportunities"
    for title in _OPPORTUNITY_TITLE:
        sheet.append([title])
    sheet.append([])
    header_row = len(_OPPORTUNITY_TITLE) + 2
    sheet.append(list(_OPPORTUNITY_HEADERS.values()))
    n = len(opportunities)
    created_as_text = rng.random(n) < 0.25
    closed_as_text = rng.random(n) < 0.75
    for i, record in enumerate(opportunities.to_dict("records")):
        partners = ", ".join(names[p] for p in str(record["partner_ids"]).split(";") if p)
        created, closed = record["created"], record["closed"]
        sheet.append([
            record["opportunity_id"], partners or None, _dollars(record["amount"]), record["stage"],
            _us_date(created) if created_as_text[i] else _cell_date(created),
            None if not closed else _us_date(closed) if closed_as_text[i] else _cell_date(closed),
            str(record["attribution"]).capitalize() if record["attribution"] else None,
        ])
    for cells in sheet.iter_rows(min_row=header_row + 1):
        for cell in cells[4:6]:
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = "mm/dd/yyyy"
    _save_workbook(book, path)
    return {"path": f"exports/{path.name}", "sheet": "Opportunities", "header_row": header_row,
            "columns": dict(_OPPORTUNITY_HEADERS), "outcomes": _OUTCOMES,
            "stage_order": [*OPEN_STAGES, *_OUTCOMES["won"], *_OUTCOMES["lost"]], "date_format": _US_DATE,
            "partners_by": "name", "separator": ","}


def _form_headers(questionnaire: dict) -> dict[str, str]:
    """question_id -> the forms export's header: the statement, or for every other dimension a
    grid question's ``<dimension name> [<statement>]`` (Google Forms' multiple-choice grid)."""
    headers = {}
    for k, dimension in enumerate(questionnaire["dimensions"]):
        for question in dimension["questions"]:
            text = " ".join(str(question["text"]).split())
            headers[question["id"]] = f"{dimension['name']} [{text}]" if k % 2 else text
    return headers


def _scale_labels(questionnaire: dict) -> list[str]:
    """Labels of scores 1-5: the questionnaire's own scale labels, else agreement labels."""
    scale = questionnaire.get("scale") or {}
    labels = [scale.get(k, scale.get(str(k))) for k in range(1, 6)]
    return [str(x) for x in labels] if all(isinstance(x, str) and x for x in labels) else list(_AGREEMENT_LABELS)


def _forms_export(rng: np.random.Generator, survey: pd.DataFrame, questionnaire: dict, path: Path) -> dict:
    """The maturity survey as a Google Forms download (.csv): one row per respondent, the answers
    as the scale's labels, a skipped statement as 'Not applicable'. Returns the mapping."""
    headers = _form_headers(questionnaire)
    labels = _scale_labels(questionnaire)
    respondents = survey.drop_duplicates("respondent_id")[["respondent_id", "role"]].reset_index(drop=True)
    answers = survey.set_index(["respondent_id", "question_id"])["score"]
    people = _person_names(rng, len(respondents))
    start = datetime.datetime(2026, 9, 7, 8, 0, 0)
    offsets = np.sort(rng.integers(0, 9 * 24 * 3600, len(respondents)))
    rows = []
    for i, (rid, role) in enumerate(zip(respondents["respondent_id"], respondents["role"])):
        stamp = start + datetime.timedelta(seconds=int(offsets[i]))
        email = f"{_ascii(people.at[i, 'first'])}.{_ascii(people.at[i, 'last'])}@northwind.example"
        row = [f"{stamp.month}/{stamp.day}/{stamp.year} {stamp.hour}:{stamp.minute:02d}:{stamp.second:02d}",
               email, rid, role]
        for qid in headers:
            score = answers.get((rid, qid))
            row.append(_FORM_NO_BASIS if score is None or pd.isna(score) else labels[int(score) - 1])
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[_FORM_TIMESTAMP, _FORM_EMAIL, _FORM_RESPONDENT, _FORM_ROLE, *headers.values()])
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\r\n", encoding="utf-8")
    return {"path": f"exports/{path.name}", "layout": "wide", "respondent": _FORM_RESPONDENT, "role": _FORM_ROLE,
            "questions": headers, "scale": {**{label: k for k, label in enumerate(labels, 1)}, _FORM_NO_BASIS: None}}


def _interview_lines(record: dict, partner_name: str) -> list[tuple[str, str]]:
    """The header lines of an interview document as (key, value), then the text as ('', text)."""
    return [("Partner", partner_name), ("Respondent", record["respondent_name"]), ("Role", record["respondent_role"]),
            ("Date", _interview_date(record["date"])), ("", record["text"])]


def _interview_documents(rng: np.random.Generator, interviews: pd.DataFrame, names: dict[str, str],
                         folder: Path) -> dict:
    """One document per interview, named by its id: about half Word (.docx), the others text
    files saved on Windows (CRLF). Header lines name the partner by name. Returns the mapping."""
    import docx

    folder.mkdir(parents=True, exist_ok=True)
    as_word = rng.random(len(interviews)) < 0.5
    for i, record in enumerate(interviews.to_dict("records")):
        for stale in (".docx", ".txt"):  # a rewrite may give an interview the other kind of file
            (folder / f"{record['interview_id']}{stale}").unlink(missing_ok=True)
        lines = _interview_lines(record, names[record["partner_id"]])
        if as_word[i]:
            document = docx.Document()
            for key, value in lines[:-1]:
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{key}:").bold = True
                paragraph.add_run(f" {value}")
            document.add_paragraph()  # a blank line ends the header lines
            document.add_paragraph(lines[-1][1])
            properties = document.core_properties
            properties.author = properties.last_modified_by = "Jane Doe"
            properties.title = f"Partner interview {record['interview_id']}"
            properties.created = properties.modified = EXPORT_TIME
            properties.revision = 1
            buffer = io.BytesIO()
            document.save(buffer)
            (folder / f"{record['interview_id']}.docx").write_bytes(_stable_zip(buffer.getvalue()))
        else:
            text = "\r\n".join([f"{k}: {v}" for k, v in lines if k] + ["", lines[-1][1], ""])
            (folder / f"{record['interview_id']}.txt").write_bytes(text.encode("utf-8"))
    return {"folder": folder.name, "date_format": _INTERVIEW_DATE, "partners_by": "name"}


#: Inputs the exports engagement keeps in the kit's own format (data/<name>.csv, as the clean sample).
_KIT_FORMAT_INPUTS = ("partner_metrics", "staff", "hiring_scores", "candidates", "macro", "health_survey")

_EXPORTS_PREAMBLE = """\
# The Northwind sample engagement as the client hands its data over: the same data as
# data_samples/northwind/, in the client's own exports, brought into the kit by the mappings
# below (README, "Input files"). Written by `alliancekit sample DIR --exports`; do not edit.
#   exports/partner_directory.xlsx  a PRM's partner list (client headers and partner types)
#   exports/opportunities.xlsx      a CRM report: title rows, partners by name, $ amounts, US dates
#   exports/forms_responses.csv     the maturity questionnaire as a Google Forms download (wide)
#   interviews/                     one Word or text document per interview, with header lines
#   data/                           the other inputs in the kit's own format
"""


def write_exports_engagement(out_dir, seed: int = 7, n_partners: int = 60, months: int = 36,
                             phases: Sequence[str] = SAMPLE_PHASES, client: str = "Northwind Systems",
                             engagement: str = EXPORTS_ENGAGEMENT, consultant: str = "Jane Doe") -> SampleTruth:
    """Write the sample engagement's data as a client exports it, with an engagement file of mappings.

    Same data as :func:`write_engagement` with the same arguments (every input, once read
    through the mappings, equals the clean sample's), in ``exports/`` (.xlsx and .csv as
    exported), ``interviews/`` (.docx and .txt) and ``data/`` (the inputs kept in the kit's
    format). Same arguments, same bytes (workbooks and documents have fixed properties and
    zip time stamps). Returns what was planted.
    """
    out_dir = Path(out_dir)
    tables, truth = generate_tables(seed=seed, n_partners=n_partners, months=months)

    def rng(k: int) -> np.random.Generator:  # one per file: more deals in the report change no document
        return np.random.default_rng(seed + _EXPORT_SEED_OFFSET + k)

    names = dict(zip(tables["partners"]["partner_id"], tables["partners"]["partner_name"]))
    exports = out_dir / "exports"
    data: dict[str, object] = {
        "partners": _partner_directory(tables["partners"], exports / "partner_directory.xlsx"),
        "partner_metrics": "data/partner_metrics.csv",
        "opportunities": _opportunity_report(rng(0), tables["opportunities"], names, exports / "opportunities.xlsx"),
        "interviews": _interview_documents(rng(1), tables["interviews"], names, out_dir / "interviews"),
        "maturity_survey": _forms_export(rng(2), tables["maturity_survey"], _load_questionnaire(),
                                         exports / "forms_responses.csv"),
    }
    write_tables({name: tables[name] for name in _KIT_FORMAT_INPUTS}, out_dir / "data")
    data.update({name: f"data/{name}.csv" for name in _KIT_FORMAT_INPUTS})
    content = engagement_file(list(tables), phases, client, engagement, consultant)
    # the health survey in the kit's format: a survey tool's wide export of it (one row per
    # respondent, alliance and side) is beyond what the wide intake reads (maturity_survey only)
    content["data"] = {name: data[name] for name in tables if name in data}
    text = yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=4096)
    (out_dir / "engagement.yml").write_text(_EXPORTS_PREAMBLE + text, encoding="utf-8", newline="\n")
    return truth


# ----------------------------------------------------------------------------------------------
# The same client a year earlier (a review cycle to compare)
# ----------------------------------------------------------------------------------------------

#: Last year's engagement of the sample client: its id, the month its data run to, its report date.
PREVIOUS_ENGAGEMENT = "northwind-2025"
PREVIOUS_END_MONTH = "2025-09"
PREVIOUS_REPORT_DATE = datetime.date(2025, 10, 15)
#: Leading indicators whose lag was different last year (indicator -> lag last year).
_PREVIOUS_LAGS = {"proposals_submitted": 4}
#: Maturity dimensions that improved since last year (dimension -> latent rise, in points of 1-5).
_MATURITY_RISE = {"measurement_reporting": 1.0}
#: The groups last year of the two partners that ended (ids after this year's last: P061, P062).
_ENDED_GROUPS = ("dormant", "declining")
_N_ADDED = 3             # this year's newest emerging partners were not in last year's portfolio
_N_BECAME_STRONG = 3     # emerging last year, strong_growing now
_N_TURNED_DECLINING = 2  # strong_growing last year, declining now
_N_STILL_DORMANT = 2     # dormant in both years: exit review candidates twice


@dataclass(frozen=True)
class CycleTruth:
    """What was planted between last year's sample engagement (:func:`previous_year`) and this year's.

    Groups are those of :data:`GROUPS` (``strong_growing``, ``emerging``, ``declining``,
    ``dormant``); the portfolio review names them "Strong and growing", "Small, growing fast",
    "Large, declining" and "Dormant" (action exit review). Every partner in both years whose
    group is not listed in ``segment_changes`` keeps its group.
    """

    previous: SampleTruth                # what last year's tables hold (segments, lags, ...)
    current: SampleTruth                 # this year's (:func:`generate_tables` with the same seed)
    previous_period: str                 # YYYY-MM last year's data run to
    current_period: str
    segment_changes: dict[str, tuple[str, str]]  # partner_id -> (group last year, group now), in both years
    became_strong: list[str]             # emerging last year, strong_growing now
    turned_declining: list[str]          # strong_growing last year, declining now
    still_dormant: list[str]             # dormant in both years: the exit review candidates that stay
    recovered: list[str]                 # dormant last year, emerging now
    went_dormant: list[str]              # dormant now, emerging last year (they stalled)
    added: list[str]                     # partners this year only
    added_names: dict[str, str]          # partner_id -> name, of the added partners
    ended: list[str]                     # partners last year only
    ended_names: dict[str, str]          # partner_id -> name, of the ended partners
    lag_changes: dict[str, tuple[int, int]]  # indicator -> (lag last year, lag now)
    maturity_changes: dict[str, float]   # dimension -> planted rise of its latent mean since last year


def _previous_groups(current: SampleTruth, partners: pd.DataFrame) -> dict[str, list[str]]:
    """Which of this year's partners carry which planted change (chosen by rule, no draws).

    Per group of this year, ids in order: the first :data:`_N_BECAME_STRONG` strong_growing
    partners were emerging, the first :data:`_N_TURNED_DECLINING` declining ones strong_growing,
    the first :data:`_N_STILL_DORMANT` dormant ones dormant already and the other dormant ones
    emerging; the :data:`_N_ADDED` emerging partners that started last are new this year and
    the first other emerging one was dormant.
    """
    by_group = {g: sorted(p for p, x in current.segments.items() if x == g) for g in GROUPS}
    start = partners.set_index("partner_id")["start_date"]
    emerging = sorted(by_group["emerging"], key=lambda p: (start[p], p), reverse=True)
    added = sorted(emerging[:_N_ADDED])
    dormant = by_group["dormant"]
    return {"became_strong": by_group["strong_growing"][:_N_BECAME_STRONG],
            "turned_declining": by_group["declining"][:_N_TURNED_DECLINING],
            "still_dormant": dormant[:_N_STILL_DORMANT],
            "went_dormant": dormant[_N_STILL_DORMANT:],
            "recovered": [p for p in by_group["emerging"] if p not in added][:1],
            "added": added}


def _dimension_means(survey: pd.DataFrame, questionnaire: dict) -> dict[str, float]:
    """Each dimension's mean answer in ``survey`` (the centre another year's survey is drawn around)."""
    dimension = {q["id"]: d["id"] for d in questionnaire["dimensions"] for q in d["questions"]}
    means = survey["score"].groupby(survey["question_id"].map(dimension)).mean()
    return {d: float(means[d]) for d in dimension.values() if d in means.index}


def previous_year(seed: int = 7) -> tuple[dict[str, pd.DataFrame], CycleTruth]:
    """Last year's input tables of the sample client (data to :data:`PREVIOUS_END_MONTH`) and what changed since.

    The same client, partner ids and names, staff and sponsor names as this year's sample
    (:func:`generate_tables` with the same ``seed``): generated with that seed, a window of 36
    months ending a year earlier and these changes planted (:func:`_previous_groups`):

    - **segments**: three strong_growing partners were emerging, two declining ones were
      strong_growing; of the dormant ones two were dormant already (exit review candidates
      that stay), the others emerging (they stalled); one emerging partner was dormant (it
      recovered);
    - **portfolio**: the three newest emerging partners were not there (added this year); two
      partners, ``P061`` (dormant: its exit review led to the end) and ``P062`` (declining),
      were there and are not now (ended), with their own names;
    - **leading indicators**: ``proposals_submitted`` led revenue by 4 months (3 now);
    - **maturity**: measurement & reporting about one point lower; every other dimension
      centred where this year's survey is (its mean answers), so about the same.

    The tables are drawn afresh, not cut from this year's: the months both windows cover
    differ (a partner dormant now was small and growing fast then), as do start dates, targets,
    tiers, who covers whom, deals, interviews and the health survey (waves 2025-03 and 2025-09).
    A comparison reads each year's delivered results only, never the two years' raw data.
    The alliances dormant now were emerging, not declining, last year: so last year's portfolio
    has about as many large alliances as this year's, its median month (the review's reference
    level) is about this year's, and each group gets the same segment name in both years. Last
    year's portfolio has too few dormant alliances for the fair comparison of alliance managers
    (:attr:`SampleTruth.beats_mix_manager` is empty); the rest of :class:`SampleTruth` holds.
    """
    current_tables, current = generate_tables(seed=seed)
    plan = _previous_groups(current, current_tables["partners"])
    groups: dict[str, str] = {}
    groups.update({p: "emerging" for p in plan["became_strong"]})
    groups.update({p: "strong_growing" for p in plan["turned_declining"]})
    groups.update({p: "emerging" for p in plan["went_dormant"]})
    groups.update({p: "dormant" for p in plan["recovered"]})  # still_dormant: dormant already
    questionnaire = _load_questionnaire()
    means = _dimension_means(current_tables["maturity_survey"], questionnaire)
    means.update({d: means[d] - rise for d, rise in _MATURITY_RISE.items() if d in means})
    n_current = len(current.segments)
    tables, previous = generate_tables(seed=seed, end_month=PREVIOUS_END_MONTH,
                                       leading={**DEFAULT_LEADING, **_PREVIOUS_LAGS}, groups=groups,
                                       leave_out=plan["added"], extra_groups=_ENDED_GROUPS, maturity_means=means,
                                       staff_and_sponsors=current.staff_and_sponsors)
    ended = [p for p in previous.segments if p not in current.segments]
    names = dict(zip(tables["partners"]["partner_id"], tables["partners"]["partner_name"]))
    current_names = dict(zip(current_tables["partners"]["partner_id"], current_tables["partners"]["partner_name"]))
    both = [p for p in current.segments if p in previous.segments]
    truth = CycleTruth(
        previous=previous, current=current, previous_period=PREVIOUS_END_MONTH,
        current_period=current_tables["partner_metrics"]["month"].max(),
        segment_changes={p: (previous.segments[p], current.segments[p]) for p in both
                         if previous.segments[p] != current.segments[p]},
        became_strong=plan["became_strong"], turned_declining=plan["turned_declining"],
        still_dormant=plan["still_dormant"], recovered=plan["recovered"], went_dormant=plan["went_dormant"],
        added=plan["added"], added_names={p: current_names[p] for p in plan["added"]},
        ended=ended, ended_names={p: names[p] for p in ended},
        lag_changes={k: (int(previous.leading_lags[k]), int(current.leading_lags[k]))
                     for k in current.leading_lags if previous.leading_lags.get(k) != current.leading_lags[k]},
        maturity_changes={d: float(r) for d, r in _MATURITY_RISE.items() if d in means},
    )
    assert len(ended) == len(_ENDED_GROUPS) and n_current == len(both) + len(plan["added"])
    return tables, truth


#: What the portfolio review (``portfolio_health``) names each planted group in the sample's two years.
REVIEW_SEGMENTS = {"strong_growing": "Strong and growing", "emerging": "Small, growing fast",
                   "declining": "Large, declining", "dormant": "Dormant"}


def _previous_readme(truth: CycleTruth, names: dict[str, str], questionnaire: dict, seed: int) -> str:
    """``README.md`` of the previous year's sample folder: what it is, how to compare, what was planted."""
    label = lambda p: f"{p} {names[p]}"  # noqa: E731
    seg = lambda g: REVIEW_SEGMENTS[g]  # noqa: E731
    dimension = {d["id"]: d["name"] for d in questionnaire["dimensions"]}
    rows = [(p, *truth.segment_changes[p]) for p in sorted(truth.segment_changes)]
    lines = [
        f"# Northwind Systems, last year's engagement ({PREVIOUS_ENGAGEMENT})",
        "",
        "The sample client's review a year earlier: the same client, partner ids and names, staff and",
        f"executive sponsors as `data_samples/northwind/` (this year's engagement, data to {truth.current_period}),",
        f"with data to {truth.previous_period} and the changes below planted, so that comparing the two",
        "deliveries has real changes to find. Generated: `alliancekit sample data_samples/northwind-2025",
        "--previous-year` (`make sample`) rewrites this folder; do not edit it by hand. In Python,",
        "`alliancekit.sample.previous_year()` returns these tables and a `CycleTruth` listing the same changes.",
        "",
        "## Run both years, then compare",
        "",
        "```",
        f"alliancekit run data_samples/northwind-2025/engagement.yml --output-dir outputs/{PREVIOUS_ENGAGEMENT}",
        "alliancekit run data_samples/northwind/engagement.yml --output-dir outputs/northwind-2026",
        f"alliancekit compare outputs/{PREVIOUS_ENGAGEMENT} outputs/northwind-2026",
        "```",
        "",
        "## What changed since last year (planted)",
        "",
        "Segments, as the portfolio review names the planted groups; every other alliance in both years",
        "keeps its segment:",
        "",
        "| Alliance | Last year | Now |",
        "|---|---|---|",
        *[f"| {label(p)} | {seg(a)} | {seg(b)} |" for p, a, b in rows],
        "",
        f"- Became strong: {', '.join(truth.became_strong)} (small and growing fast last year).",
        f"- Turned to decline: {', '.join(truth.turned_declining)} (strong and growing last year).",
        f"- Exit review candidates that stay: {', '.join(truth.still_dormant)} (dormant in both years).",
        f"- Recovered: {', '.join(truth.recovered)} (dormant last year, small and growing fast now).",
        f"- Went dormant: {', '.join(truth.went_dormant)} (small and growing fast last year; they stalled).",
        f"- Added this year (not in last year's data): {', '.join(label(p) for p in truth.added)}.",
        "- Ended (last year only): " + ", ".join(
            f"{label(p)} ({seg(truth.previous.segments[p]).lower()} last year)" for p in truth.ended) + ".",
        *[f"- Leading indicator: `{k}` led revenue by {a} months last year, {b} now; the other leading "
          f"indicators' lags are unchanged." for k, (a, b) in truth.lag_changes.items()],
        *[f"- Maturity: {dimension.get(d, d)} (`{d}`) about {r:g} point lower last year; every other dimension "
          "about the same." for d, r in truth.maturity_changes.items()],
        "",
        "## How the two years' data relate",
        "",
        f"Both years come from the generator's seed {seed} with the same draws up to the partners' names,",
        "so partner ids, names, types, regions and offerings, staff and sponsors are the same. Last",
        f"year's window, 36 months to {truth.previous_period}, is drawn afresh with the groups and lags above:",
        "the months both windows cover do not hold the same figures, and start dates, tiers, targets,",
        "who covers whom, deals, interviews and the alliance health survey differ. A comparison reads",
        "each year's delivered results only, never the two years' raw data; each year is consistent in itself.",
        "",
    ]
    return "\n".join(lines)


def write_previous_year(out_dir, seed: int = 7, phases: Sequence[str] = SAMPLE_PHASES,
                        client: str = "Northwind Systems", engagement: str = PREVIOUS_ENGAGEMENT,
                        consultant: str = "Jane Doe") -> CycleTruth:
    """Write last year's sample engagement (:func:`previous_year`): ``engagement.yml`` (report
    dated :data:`PREVIOUS_REPORT_DATE`), ``data/<name>.csv`` and ``README.md`` (what was planted).

    Same arguments, same bytes. Returns what changed between the two years.
    """
    out_dir = Path(out_dir)
    tables, truth = previous_year(seed=seed)
    write_tables(tables, out_dir / "data")
    content = engagement_file(list(tables), phases, client, engagement, consultant)
    content = {**{k: content[k] for k in ("engagement", "client", "consultant", "firm")},
               "report_date": PREVIOUS_REPORT_DATE, **{k: v for k, v in content.items() if k not in
                                                        ("engagement", "client", "consultant", "firm")}}
    text = yaml.safe_dump(content, sort_keys=False, allow_unicode=True)
    (out_dir / "engagement.yml").write_text(text, encoding="utf-8", newline="\n")
    names = {**dict(zip(tables["partners"]["partner_id"], tables["partners"]["partner_name"])), **truth.added_names}
    (out_dir / "README.md").write_text(_previous_readme(truth, names, _load_questionnaire(), seed), encoding="utf-8",
                                       newline="\n")
    return truth
