"""`GET /api/app/me`: who the service account is and which projects it reaches.

Shape (Mixpanel's, trimmed to what a client uses): organizations and projects keyed by id,
each project with its timezone, organization, role and permissions, and `domain`, the app
host of its data residency.
"""

from __future__ import annotations

from local.mixpanel_sim.config import Organization, ServiceAccount
from local.mixpanel_sim.messages import SimResponse, json_response
from local.mixpanel_sim.spec import ProjectSpec

APP_DOMAINS = {"US": "mixpanel.com", "EU": "eu.mixpanel.com", "IN": "in.mixpanel.com"}
PERMISSIONS = {
    "admin": ["view_project", "export_data", "query_data", "manage_project"],
    "analyst": ["view_project", "export_data", "query_data"],
}


def me(account: ServiceAccount, organization: Organization, project: ProjectSpec) -> SimResponse:
    permissions = PERMISSIONS.get(account.role, PERMISSIONS["analyst"])
    projects: dict[str, object] = {}
    if project.project_id in account.project_ids:
        projects[str(project.project_id)] = {
            "id": project.project_id,
            "name": project.name,
            "organization_id": organization.id,
            "timezone": project.timezone,
            "domain": APP_DOMAINS[project.region],
            "role": {"name": account.role},
            "permissions": permissions,
        }
    return json_response(
        200,
        {
            "status": "ok",
            "results": {
                "user_name": account.username,
                "user_email": f"{account.username}@serviceaccount.mixpanel.com",
                "organizations": {
                    str(organization.id): {
                        "id": organization.id,
                        "name": organization.name,
                        "role": account.role,
                        "permissions": permissions,
                    },
                },
                "projects": projects,
            },
        },
    )
