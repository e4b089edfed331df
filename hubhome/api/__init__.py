"""The JSON API under /api/v1: OpenAPI from flask-smorest, bearer tokens, problem+json."""

from __future__ import annotations

from flask import Flask

from hubhome.api.auth import authenticate_api_request
from hubhome.api.core import api


def init_api(app: Flask) -> None:
    from hubhome.accounts.api import blp as accounts_blp
    from hubhome.activities.api import blp as activities_blp
    from hubhome.advice.api import blp as advice_blp
    from hubhome.audit.api import blp as audit_blp
    from hubhome.caseload.api import blp as caseload_blp
    from hubhome.children.api import blp as children_blp
    from hubhome.decisions.api import blp as decisions_blp
    from hubhome.extensions import csrf
    from hubhome.network.api import blp as network_blp
    from hubhome.outbox.api import blp as outbox_blp
    from hubhome.outcomes.api import blp as outcomes_blp
    from hubhome.phone.api import blp as phone_blp
    from hubhome.respite.api import blp as respite_blp
    from hubhome.visits.api import blp as visits_blp

    api.init_app(app)
    for blp in (
        accounts_blp,
        network_blp,
        children_blp,
        audit_blp,
        outbox_blp,
        respite_blp,
        activities_blp,
        advice_blp,
        visits_blp,
        phone_blp,
        caseload_blp,
        decisions_blp,
        outcomes_blp,
    ):
        api.register_blueprint(blp)
        csrf.exempt(blp)  # bearer tokens, never cookies: no cross-site request can carry one
    app.before_request(authenticate_api_request)
