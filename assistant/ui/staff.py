"""The staff app at `/staff`: the guardian's Review and Local documents, the evaluators' Evaluate, apart from the
chat.

Served behind its own sign-in (the gate admits only guardian and evaluator logins), and every handler checks the
role again itself. The page says who is signed in and has a log-out button (a POST: a link cannot log anyone out).
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from ..web.guard import NotAllowed, Web
from .documents import DocumentsTab
from .evaluate import EvaluateTab
from .review import ReviewTab
from .state import shown

LOGOUT = ('<form method="post" action="/logout" style="display:inline">'
          '<button type="submit" id="logout" style="padding:.3rem .8rem">Log out</button></form>')


def signed_in(web: Web, request: Any) -> str:
    who = web.require(request, "guardian", "evaluator")
    assert who.account is not None
    return (f"Signed in as **{shown(who.account.name)}** ({who.account.role}). Sign-ins end after 30 minutes "
            "without use, and after 8 hours.")


def build_staff_app(sw, web: Web) -> gr.Blocks:
    with gr.Blocks(title="Sharewise staff tools", analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        gr.Markdown("# Sharewise: staff tools\nReview of answers and local documents (Caldicott guardian), and "
                    "evaluation.")
        with gr.Row():
            who = gr.Markdown(elem_id="signed-in")
            gr.HTML(LOGOUT)
        with gr.Tabs():
            review = ReviewTab(sw, web)
            evaluate = EvaluateTab(sw, web)
            documents = DocumentsTab(sw, web)
        review.wire()
        evaluate.wire()
        documents.wire()

        def on_load(request: gr.Request) -> str:
            try:
                return signed_in(web, request)
            except NotAllowed as e:
                raise gr.Error(str(e)) from None

        demo.load(on_load, None, who, api_visibility="private")
    return demo
