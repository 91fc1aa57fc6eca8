"""The page's styles: colours, the banner, the flags, the source view (shared by the chat and the staff app)."""

CSS = """
.sw-banner{background:#b3261e;color:#fff;padding:.75rem 1rem;border-radius:.5rem;font-weight:600}
.sw-status{color:#fff;padding:.1rem .5rem;border-radius:.4rem;font-size:.95em}
.sw-flag{border:1px solid #ccc;border-radius:.5rem;padding:.5rem .9rem;margin:.5rem 0}
.sw-source{max-height:24rem;overflow:auto;border-left:4px solid #888;padding-left:.8rem}
.sw-source mark{background:#ffe58a}
.sw-rules,.sw-note{color:#555;font-size:.9em}
.sw-plain{font-size:1.05em}
.sw-rests{border-left:4px solid #8a5a00;padding-left:.6rem}
.sw-details summary{cursor:pointer;color:#333}
"""
