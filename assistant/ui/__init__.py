"""The Gradio app, and the only place Gradio is imported: one module per tab (chat, facts, source, record, review,
evaluate), the per-tab session kept in server memory (state), HTTP hardening (security), and the assembly and
hardened launch (app). Everything else in Sharewise is plain Python that these modules call."""
