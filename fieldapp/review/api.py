"""POST /api/v1/records/<id>/review: the clerk's actions as JSON (bearer token)."""

from typing import Any

from flask_smorest import abort

from fieldapp.accounts.auth import api_user, require_device_token
from fieldapp.apiparsing import Blueprint
from fieldapp.records.models import Record
from fieldapp.review import services
from fieldapp.review.schemas import ReviewActionSchema, ReviewResultSchema

blp = Blueprint("review_api", __name__, url_prefix="/api/v1/records", description="Review")
blp.before_request(require_device_token)


@blp.post("/<record_id>/review")
@blp.arguments(ReviewActionSchema)
@blp.response(200, ReviewResultSchema)
@blp.alt_response(403, description="The role may not review")
@blp.alt_response(404, description="No such record in the caller's area")
@blp.alt_response(409, description="The state does not allow the action, or the version is stale")
def review_record(payload: dict[str, Any], record_id: str) -> Record:
    user = api_user()
    try:
        services.require_reviewer(user)
        record = services.find_record(user, record_id, for_update=True)
        return services.review(
            record,
            user,
            payload["action"],
            comment=payload.get("comment"),
            registration_number=payload.get("registration_number"),
            registration_date=payload.get("registration_date"),
            base_version=payload.get("version"),
            documents=payload.get("documents"),
        )
    except services.ReviewRefused as refused:
        abort(
            refused.status,
            message=refused.message,
            messages={"json": refused.errors} if refused.errors else None,
        )
        raise
