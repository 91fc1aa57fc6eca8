"""Script run on the page: small fixes Gradio does not make itself (shared by the chat and the staff app)."""

# Gradio 6 draws a radio as a <fieldset> with no legend and gives each choice its own `name`, so a screen reader
# hears neither one question nor one group. On every redraw this names each radio fieldset by its label (the
# question), describes it by its info line, and gives its choices one shared name: one radio group, one question.
RADIO_GROUPS_JS = """
() => {
  let count = 0;
  const fix = () => {
    document.querySelectorAll('fieldset').forEach((set) => {
      const radios = set.querySelectorAll('input[type=radio]');
      if (!radios.length) return;
      if (!set.dataset.swGroup) set.dataset.swGroup = set.id || `sw-radio-${++count}`;
      const group = set.dataset.swGroup;
      set.setAttribute('role', 'radiogroup');
      const title = set.querySelector('[data-testid="block-info"]');
      if (title) { title.id = `${group}-label`; set.setAttribute('aria-labelledby', title.id); }
      const info = set.querySelector('.info-text');
      if (info) { info.id = `${group}-info`; set.setAttribute('aria-describedby', info.id); }
      radios.forEach((r) => { if (r.name !== group) r.name = group; });
    });
  };
  new MutationObserver(fix).observe(document.body, {childList: true, subtree: true});
  fix();
}
"""
