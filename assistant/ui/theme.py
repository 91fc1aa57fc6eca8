"""The page's styles: colours, the banner, the flags, the source view (shared by the chat and the staff app).

Accessibility (WCAG 2.2 AA, checked by axe-core in tests/ui/test_accessibility.py): Gradio's default theme draws
the primary button white on orange-500 and the selected tab orange-500 on white (2.8:1), and help text (`info=`)
and the "- or -" of a file box in neutral-300 on white (1.9:1). Its colours are overridden here on the container
(so they win over the theme's `:root` whatever order the style sheets load in): orange-700 (5.2:1 under white
text, and on white), and grey-600 for help text (7.6:1). Every focusable thing gets a visible 3 px focus ring; the
source view no longer scrolls inside the page (a scroll box a keyboard cannot reach, and a box in a box at 200%
zoom); long words and addresses wrap instead of pushing the page sideways on a phone. On a short or narrow
screen (200% zoom, a phone) the conversation is at most 55% of the screen high and the example questions go once
there is an answer (they come back with "New case"), so the rules check is within two screens of the top.
The skip links ("Skip to the answer" first on the page, "Go to the rules check" in the answer) are hidden as
GOV.UK hides them (clipped to nothing, still read and reached by the keyboard) until they have the focus: then
"Skip to the answer" shows at the top left in GOV.UK's focus yellow, below the danger banner if it is pinned.

Gradio also adds every rule again prefixed by its container, splitting selector lists at each comma, even inside
`:is()`, and rules in @media only that way: so no `:is(a,b)` here, plain selector lists.
"""

CSS = """
.gradio-container{
  --button-primary-background-fill:#c2410c;--button-primary-background-fill-hover:#9a3412;
  --button-primary-border-color:#c2410c;--button-primary-border-color-hover:#9a3412;--button-primary-text-color:#fff;
  --button-primary-text-color-hover:#fff;--color-accent:#c2410c;
  --block-info-text-color:#4b5563;--body-text-color-subdued:#4b5563;--input-placeholder-color:#6b7280;
  --sw-focus:#1d4ed8;
}
.dark .gradio-container{
  --button-primary-background-fill:#c2410c;--button-primary-background-fill-hover:#9a3412;
  --button-primary-border-color:#c2410c;--button-primary-text-color:#fff;--color-accent:#fb923c;
  --block-info-text-color:#d1d5db;--body-text-color-subdued:#d1d5db;--input-placeholder-color:#9ca3af;
  --sw-focus:#93c5fd;
}
button:focus-visible,a:focus-visible,summary:focus-visible,[role=tab]:focus-visible,input:focus-visible,
textarea:focus-visible,select:focus-visible,[tabindex]:not([tabindex="-1"]):focus-visible,
#sw-highlight:focus{outline:3px solid var(--sw-focus)!important;outline-offset:2px}
.prose,.message,.sw-source,.sw-flag,.sw-note,.sw-rules{overflow-wrap:anywhere}
.sw-banner{background:#b3261e;color:#fff;padding:.75rem 1rem;border-radius:.5rem;font-weight:600}
.sw-status{color:#fff;padding:.1rem .5rem;border-radius:.4rem;font-size:.95em}
.sw-flag{border:1px solid #ccc;border-radius:.5rem;padding:.5rem .9rem;margin:.5rem 0}
.sw-source{border-left:4px solid #888;padding-left:.8rem}
.sw-source mark{background:#ffe58a;color:#1f2937}
.sw-rules,.sw-note{color:#4b5563;font-size:.9em}
.dark .sw-rules,.dark .sw-note{color:#d1d5db}
.sw-plain{font-size:1.05em}
.sw-rests{border-left:4px solid #8a5a00;padding-left:.6rem}
.sw-details summary{cursor:pointer;color:#333}
.dark .sw-details summary{color:#e5e7eb}
@media (max-height:600px),(max-width:640px){
  #chat{max-height:max(55vh,13rem)!important}
  div:has(#chat .message-row.bot-row) #examples,
  div:has(#chat .message-row.bot-row) #examples-heading{display:none!important}
}
#skip-links{position:absolute}
.sw-skip-link:not(:focus),.sw-to-rules:not(:focus-within){position:absolute!important;width:1px!important;
  height:1px!important;margin:0!important;padding:0!important;overflow:hidden!important;clip:rect(0 0 0 0)!important;
  clip-path:inset(50%)!important;white-space:nowrap!important;border:0!important}
.sw-skip-link:focus{position:fixed;top:var(--sw-pin-h,0px);left:0;z-index:1001;padding:.6rem 1rem;
  background:#fd0;color:#0b0c0c!important;font-weight:600;text-decoration:underline;text-underline-offset:.15em}
#chat .message-content:focus{outline:3px solid var(--sw-focus);outline-offset:2px}
.sw-offscreen{position:absolute!important;left:-10000px!important;width:1px!important;height:1px!important;overflow:hidden!important}
"""
