import json, glob, collections, sys
files = {p: open(p).read() for p in sorted(glob.glob('evals/local/docs/*.md') + glob.glob('corpus/docs/*.md'))}
ok = True; ids = set()
want = {'local': 20, 'both': 5, 'superseded': 3, 'out-of-scope': 2}
for qf in ('evals/local/questions-dev.jsonl', 'evals/local/questions-heldout.jsonl'):
    kinds = collections.Counter()
    for n, line in enumerate(open(qf), 1):
        r = json.loads(line)
        assert set(r) == {'id','question','gold_spans','kind','doc','notes','history'}, r.keys()
        if r['id'] in ids: print('dup id', r['id']); ok = False
        ids.add(r['id']); kinds[r['kind']] += 1
        hits_per_span = []
        for s in r['gold_spans']:
            hits = [p for p, t in files.items() if s in t]
            cnt = sum(files[p].count(s) for p in hits)
            if len(hits) != 1: print(qf, r['id'], 'span in', hits, repr(s[:60])); ok = False
            hits_per_span.append(hits[0] if hits else None)
        k = r['kind']
        if k == 'out-of-scope':
            if r['gold_spans'] or r['doc']: print('oos has gold', r['id']); ok = False
        else:
            if not hits_per_span or hits_per_span[0] != 'evals/local/docs/' + r['doc']: print('doc mismatch', r['id'], hits_per_span, r['doc']); ok = False
            local = [h for h in hits_per_span if h.startswith('evals/local/')]
            corp = [h for h in hits_per_span if h.startswith('corpus/')]
            if k == 'both' and not (local and corp): print('both lacks side', r['id']); ok = False
            if k in ('local','superseded') and corp: print('corpus gold in', k, r['id']); ok = False
            if k == 'superseded' and any(not h.endswith('northmoor-scp-info-sharing-procedure.md') for h in hits_per_span): print('superseded not current', r['id']); ok = False
            if any(h.endswith('-2019.md') for h in hits_per_span): print('2019 gold', r['id']); ok = False
    print(qf, dict(kinds))
    if dict(kinds) != want: print('kind mix off'); ok = False
qs = [json.loads(l)['question'].lower() for f in ('evals/local/questions-dev.jsonl','evals/local/questions-heldout.jsonl') for l in open(f)]
if len(set(qs)) != len(qs): print('duplicate question'); ok = False
print('OK' if ok else 'FAIL'); sys.exit(0 if ok else 1)
