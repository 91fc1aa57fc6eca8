"""The web server around the Gradio apps: accounts and logins, the hardening gate, downloads, the routes."""
