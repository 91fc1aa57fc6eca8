"""Script run on the page: small fixes Gradio does not make itself (shared by the chat and the staff app).

`RADIO_GROUPS_JS` (the name the server loads) is the whole page script: the radio-group fix; on both pages, file
boxes named by what they show and tabs moved by the arrow keys; and on the chat page, a new answer brought into
view at its top (where the danger banner and the bottom line are), not its bottom (the disclaimer), and, while the
danger banner is pinned to the top of the screen, the page pushed down by its height, so nothing is hidden under
it; and the skip links (GOV.UK's habit): "Skip to the answer", the first thing the Tab key reaches once there is
an answer, moves the focus to the latest answer, and in that answer, just after its bottom line, "Go to the rules
check" opens the Rules tab with the focus on it (both shown only when the keyboard reaches them)."""

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
  // The chat page only: the pinned danger banner takes its height at the top of the page; a new answer is
  // scrolled into view at its top (below the banner), never at its bottom.
  let answers = -1;
  let lastText = '';
  const pinned = () => {
    const pin = document.querySelector('#danger-banner .sw-pin');
    const shown = pin && pin.getClientRects().length ? pin.getBoundingClientRect().height : 0;
    document.body.style.paddingTop = shown ? `${Math.ceil(shown) + 8}px` : '';
    document.body.style.setProperty('--sw-pin-h', `${Math.ceil(shown)}px`);  // a focused skip link shows below it
    return shown;
  };
  const latest = () => {
    const rows = document.querySelectorAll('#chat .message-row.bot-row');
    return rows.length ? rows[rows.length - 1] : null;
  };
  // after the banner has drawn: an answer's first line just below it, in the conversation and on the page
  const bring = (row) => {
    const chat = document.querySelector('#chat');
    if (!chat || !row || !row.isConnected) return;
    const below = pinned() + 12;
    const scroller = [chat, ...chat.querySelectorAll('*')].find((e) => e.contains(row) && e !== row
      && e.scrollHeight > e.clientHeight + 1 && getComputedStyle(e).overflowY !== 'visible');
    if (scroller) scroller.scrollTop += row.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 8;
    window.scrollBy({top: row.getBoundingClientRect().top - below, behavior: 'instant'});
  };
  const toAnswer = () => {
    const chat = document.querySelector('#chat');
    if (!chat) return;
    const bots = chat.querySelectorAll('.message-row.bot-row, [data-testid="bot"]');
    const rows = [...chat.querySelectorAll('.message-row.bot-row')];
    const last = rows.length ? rows[rows.length - 1] : bots[bots.length - 1];
    const text = last ? last.innerText : '';
    const count = rows.length || bots.length;
    if (answers === -1) { answers = count; lastText = text; return; }  // what the page opened with
    if (!last || (count === answers && text === lastText)) { answers = count; return; }
    answers = count; lastText = text;
    if (count === 0) return;
    bring(last);
    setTimeout(() => bring(last.isConnected ? last : latest()), 250);
  };
  // The skip links. "Skip to the answer" (#skip-to-answer, first on the page) is hidden until there is an answer,
  // so the first Tab on a fresh page still lands in the question box. "Go to the rules check" goes into the latest
  // answer only (the Rules tab shows the latest turn), just before its "What the guidance says" heading, i.e. after
  // the danger banner and the bottom line; a failed turn has no such heading and gets none. Added here, not in the
  // answer's Markdown, so that "Copy message" copies the answer alone; put back whenever Gradio redraws the answer
  // (before toAnswer reads its text, so a redraw is not taken for a new answer).
  const skipLinks = () => {
    const skip = document.querySelector('#skip-to-answer');
    if (!skip) return;
    const last = latest();
    if (skip.hidden === Boolean(last)) skip.hidden = !last;
    const body = last && last.querySelector('.message-content');
    document.querySelectorAll('#chat .sw-to-rules').forEach((p) => { if (!body || !body.contains(p)) p.remove(); });
    const heading = body && body.querySelector('h3');
    if (!heading || body.querySelector('.sw-to-rules')) return;
    const line = document.createElement('p');
    line.className = 'sw-to-rules';
    const link = document.createElement('a');
    link.href = '#rules-panel';
    link.textContent = 'Go to the rules check';
    line.append(link);
    heading.before(line);
  };
  document.addEventListener('click', (event) => {
    const skip = event.target.closest && event.target.closest('#skip-to-answer');
    const toRules = event.target.closest && event.target.closest('.sw-to-rules a');
    if (!skip && !toRules) return;
    event.preventDefault();
    if (skip) {  // the focus to the answer's text, its top just below the banner; Tab goes on into the answer
      const last = latest();
      const target = last && (last.querySelector('.message-content') || last);
      if (!target) return;
      target.tabIndex = -1;
      target.focus({preventScroll: true});
      bring(last);
      return;
    }
    const tab = [...document.querySelectorAll('[role=tab]')].find((t) => t.innerText.trim() === 'Rules');
    if (!tab) return;
    tab.click();
    tab.focus({preventScroll: true});
    requestAnimationFrame(() => {  // the row of tab names at the top of the screen, below the banner
      const list = tab.closest('[role=tablist]') || tab;
      window.scrollBy({top: list.getBoundingClientRect().top - pinned() - 12, behavior: 'instant'});
      if (document.activeElement !== tab) tab.focus({preventScroll: true});
    });
  });
  let queued = false;
  const onChange = () => {
    fix();
    skipLinks();
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; pinned(); toAnswer(); });
  };
  new MutationObserver(onChange).observe(document.body, {childList: true, subtree: true, characterData: true});
  window.addEventListener('resize', pinned);
  // Gradio's file box names its button "Click to upload or drop files" while it shows "Drop File Here - or -
  // Click to Upload" (WCAG 2.5.3: the name must contain what is shown): let it be named by what it shows.
  const fixUploads = () => document.querySelectorAll('button.upload-container[aria-label]').forEach((b) => {
    b.removeAttribute('aria-label'); b.removeAttribute('aria-dropeffect');
  });
  // ARIA tabs: Right/Left move to the next/previous tab (wrapping), Home/End to the first/last; only the selected
  // tab is in the Tab-key order (Gradio 6 tabs have no arrow keys of their own).
  const roving = () => document.querySelectorAll('[role=tablist]').forEach((list) =>
    list.querySelectorAll('[role=tab]').forEach((t) => {
      t.tabIndex = t.getAttribute('aria-selected') === 'true' ? 0 : -1;
    }));
  document.addEventListener('keydown', (event) => {
    const tab = event.target.closest && event.target.closest('[role=tab]');
    const list = tab && tab.closest('[role=tablist]');
    if (!list || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const tabs = [...list.querySelectorAll('[role=tab]')].filter((t) => !t.disabled && t.offsetParent !== null);
    const at = tabs.indexOf(tab);
    const to = {ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1}[event.key];
    if (to === undefined || at < 0) return;
    event.preventDefault();
    const next = tabs[(to + tabs.length) % tabs.length];
    next.click(); next.focus();
    requestAnimationFrame(roving);
  });
  document.addEventListener('click', (e) => {
    if (e.target.closest && e.target.closest('[role=tab]')) requestAnimationFrame(roving);
  });
  new MutationObserver(() => { fixUploads(); roving(); }).observe(document.body, {childList: true, subtree: true});
  fixUploads(); roving();
  // A citation number in the answer ([1]) opens that passage in the Source tab, scrolled to the highlight.
  let clicks = 0;
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[href^="#sw-cite-"]');
    if (!link) return;
    event.preventDefault();
    const tab = [...document.querySelectorAll('[role=tab]')].find((t) => t.innerText.trim() === 'Source');
    if (!tab) return;
    tab.click();  // Gradio draws a tab's contents when it is opened: wait for the number box, then the passage
    const number = `${link.getAttribute('href').slice('#sw-cite-'.length)}:${++clicks}`;
    let tries = 0;
    const pick = () => {
      const box = document.querySelector('#cite-pick textarea, #cite-pick input');
      if (!box) { if (++tries < 40) setTimeout(pick, 50); return; }
      const view = document.querySelector('#source-view');
      const before = view ? view.innerHTML : '';
      box.value = number;
      box.dispatchEvent(new Event('input', {bubbles: true}));
      let waits = 0;
      const reveal = () => {  // once the new passage is drawn (or after 4 s, whatever is there)
        const now = document.querySelector('#source-view');
        const mark = document.querySelector('#source-view #sw-highlight, #source-view mark');
        const drawn = now && (now.innerHTML !== before || waits >= 40);
        if (mark && drawn) { mark.scrollIntoView({block: 'center'}); if (mark.focus) mark.focus(); return; }
        if (++waits < 60) setTimeout(reveal, 100);
      };
      reveal();
    };
    pick();
  });
  fix();
  skipLinks();
}
"""
