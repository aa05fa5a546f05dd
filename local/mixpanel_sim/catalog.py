"""The vocabulary of the synthetic B2B product: event names, their weights and properties.

Kept apart from the generator so that tests and demo scripts can name the features the
project tracks (e.g. to pick the tracked features of a workspace) without building a project.
"""

from __future__ import annotations

import json

# Product features a customer-success team would track: (name, relative weight, adoption).
# `adoption` is the share of accounts that use the feature at all, so feature breadth varies.
FEATURES: tuple[tuple[str, float, float], ...] = (
    ("dashboard_viewed", 14.0, 0.97),
    ("report_created", 6.0, 0.85),
    ("search_performed", 8.0, 0.9),
    ("filter_applied", 7.0, 0.8),
    ("record_updated", 9.0, 0.75),
    ("comment_added", 3.5, 0.6),
    ("export_csv", 2.5, 0.55),
    ("alert_configured", 1.2, 0.45),
    ("invite_sent", 0.8, 0.7),
    ("integration_connected", 0.3, 0.4),
    ("workflow_automated", 1.5, 0.35),
    ("api_key_created", 0.2, 0.25),
)

# Telemetry every account emits: useful for volume, not a feature anyone tracks.
TELEMETRY: tuple[tuple[str, float], ...] = (
    ("page_view", 30.0),
    ("session_start", 5.0),
    ("error_logged", 2.5),
)

FEATURE_NAMES: tuple[str, ...] = tuple(name for name, _, _ in FEATURES)
TELEMETRY_NAMES: tuple[str, ...] = tuple(name for name, _ in TELEMETRY)
IDENTITY_EVENTS: tuple[str, ...] = ("$identify", "$merge")
HOTSHARD_EVENT = "$hotshard_events"

# Event-specific properties: a few variants each, pre-rendered as JSON fragments (leading
# comma included) so the hot loop only concatenates strings.
_EXTRA_PROPERTIES: dict[str, tuple[dict[str, object], ...]] = {
    "page_view": (
        {"$current_url": "https://app.example-product.com/dashboards"},
        {"$current_url": "https://app.example-product.com/reports"},
        {"$current_url": "https://app.example-product.com/settings"},
        {"$current_url": "https://app.example-product.com/records"},
    ),
    "dashboard_viewed": ({"dashboard_id": "d_101"}, {"dashboard_id": "d_207"}),
    "report_created": (
        {"report_type": "funnel"},
        {"report_type": "table"},
        {"report_type": "trend"},
        {"report_type": "cohort"},
    ),
    "search_performed": ({"results": 12}, {"results": 0}, {"results": 48}),
    "filter_applied": ({"filter": "owner"}, {"filter": "stage"}, {"filter": "date"}),
    "record_updated": ({"object": "deal"}, {"object": "contact"}, {"object": "ticket"}),
    "comment_added": ({"mentions": 0}, {"mentions": 2}),
    "export_csv": ({"rows": 250}, {"rows": 12000}, {"rows": 1800}),
    "alert_configured": ({"channel": "email"}, {"channel": "slack"}),
    "invite_sent": ({"role": "member"}, {"role": "admin"}, {"role": "viewer"}),
    "integration_connected": (
        {"integration": "salesforce"},
        {"integration": "hubspot"},
        {"integration": "slack"},
        {"integration": "zendesk"},
    ),
    "workflow_automated": ({"trigger": "schedule"}, {"trigger": "record_change"}),
    "api_key_created": ({"scope": "read"}, {"scope": "write"}),
    "session_start": ({"$referrer": "direct"}, {"$referrer": "email"}),
    "error_logged": (
        {"error_code": "E401", "severity": "warning"},
        {"error_code": "E502", "severity": "error"},
        {"error_code": "E429", "severity": "warning"},
    ),
}


def _fragment(props: dict[str, object]) -> str:
    body = json.dumps(props, separators=(",", ":"))[1:-1]
    return "," + body if body else ""


def extra_fragments(name: str) -> tuple[str, str, str, str]:
    """Four pre-rendered property fragments for an event (variants repeat to fill four slots),
    so the generator picks one with two random bits."""
    variants = [_fragment(p) for p in _EXTRA_PROPERTIES.get(name, ({},))]
    return (
        variants[0],
        variants[1 % len(variants)],
        variants[2 % len(variants)],
        variants[3 % len(variants)],
    )


def event_prefix(name: str) -> str:
    """The start of an export line up to the value of `properties.time`."""
    return '{"event":' + json.dumps(name) + ',"properties":{"time":'


# Words for company names; combinations are unique per index (see plan.py).
NAME_HEADS: tuple[str, ...] = (
    "Acme",
    "Apex",
    "Aurora",
    "Beacon",
    "Birch",
    "Blue",
    "Bright",
    "Cedar",
    "Cinder",
    "Clear",
    "Cobalt",
    "Copper",
    "Crest",
    "Delta",
    "Drift",
    "Ember",
    "Evergreen",
    "Falcon",
    "Fern",
    "Frontier",
    "Glacier",
    "Granite",
    "Harbor",
    "Helix",
    "Horizon",
    "Indigo",
    "Iron",
    "Juniper",
    "Keystone",
    "Lark",
    "Lumen",
    "Maple",
    "Meridian",
    "Mosaic",
    "North",
    "Nova",
    "Oak",
    "Onyx",
    "Orbit",
    "Pine",
    "Pioneer",
    "Prism",
    "Quartz",
    "Radiant",
    "Redwood",
    "Ridge",
    "River",
    "Sable",
    "Sage",
    "Signal",
    "Silver",
    "Slate",
    "Solstice",
    "Spruce",
    "Summit",
    "Tandem",
    "Terra",
    "Tidal",
    "Timber",
    "Vector",
    "Verde",
    "Vista",
    "Willow",
    "Zenith",
)
NAME_TAILS: tuple[str, ...] = (
    "Analytics",
    "Bank",
    "Bio",
    "Capital",
    "Cloud",
    "Commerce",
    "Consulting",
    "Dynamics",
    "Energy",
    "Foods",
    "Freight",
    "Games",
    "Health",
    "Holdings",
    "Industries",
    "Insurance",
    "Labs",
    "Learning",
    "Legal",
    "Logistics",
    "Media",
    "Medical",
    "Mobility",
    "Networks",
    "Partners",
    "Realty",
    "Retail",
    "Robotics",
    "Security",
    "Software",
    "Systems",
    "Telecom",
    "Travel",
    "Ventures",
    "Works",
)
PLACES: tuple[tuple[str, str, str], ...] = (
    ("San Francisco", "California", "US"),
    ("New York", "New York", "US"),
    ("Austin", "Texas", "US"),
    ("Chicago", "Illinois", "US"),
    ("Toronto", "Ontario", "CA"),
    ("London", "England", "GB"),
    ("Berlin", "Land Berlin", "DE"),
    ("Paris", "Ile-de-France", "FR"),
    ("Amsterdam", "North Holland", "NL"),
    ("Bengaluru", "Karnataka", "IN"),
    ("Sydney", "New South Wales", "AU"),
)
TLDS: tuple[str, ...] = (".com", ".com", ".com", ".io", ".co", ".ai", ".net")
FIRST_NAMES: tuple[str, ...] = (
    "Ana",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jon",
    "Kira",
    "Liam",
    "Maya",
    "Noah",
    "Olga",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
    "Uma",
    "Vik",
    "Wen",
    "Yara",
    "Zoe",
)
LAST_NAMES: tuple[str, ...] = (
    "Adams",
    "Baker",
    "Chen",
    "Diaz",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ito",
    "Jensen",
    "Khan",
    "Lopez",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Patel",
    "Rossi",
    "Silva",
    "Tanaka",
    "Urban",
    "Varga",
    "Walsh",
    "Young",
    "Zhang",
)
