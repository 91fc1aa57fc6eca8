"""The Gradio app: the only place Gradio is imported."""
