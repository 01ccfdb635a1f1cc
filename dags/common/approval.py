"""Airflow's ApprovalOperator, with the answer kept whichever way it goes.

On "Reject" the operator skips its downstream tasks by raising Airflow's skip signal, so its
return value (who answered, when, with which comment) never reaches XCom. The step that sends
the draft back needs exactly that answer, so it is pushed under its own key first; the step that
publishes reads the same key, so both read the answer from one source.
"""

from __future__ import annotations

from typing import Any

from airflow.providers.standard.operators.hitl import ApprovalOperator

ANSWER_KEY = "answer"


class RecordedApprovalOperator(ApprovalOperator):
    """ApprovalOperator that pushes the answer to XCom (key ``answer``) before acting on it."""

    def execute_complete(self, context: Any, event: dict[str, Any]) -> Any:
        if "error" not in event:
            responded_at = event.get("responded_at")
            context["ti"].xcom_push(
                key=ANSWER_KEY,
                value={
                    "chosen_options": list(event.get("chosen_options") or []),
                    "params_input": dict(event.get("params_input") or {}),
                    "responded_at": responded_at.isoformat() if hasattr(responded_at, "isoformat") else responded_at,
                    "responded_by_user": dict(event.get("responded_by_user") or {}) or None,
                },
            )
        return super().execute_complete(context=context, event=event)
